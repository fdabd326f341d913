package org.proxynas.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * One stacked bar per x position (e.g. how many of each operation the derived genotype holds at each search
 * iteration), categories in a fixed order and colour, legend under the title. Bars are as wide as the spacing of
 * the x positions allows; with many bars they meet and read as a stacked area. NaN or negative parts count as 0.
 */
public final class StackedBarChart extends Chart {
    private record Bar(double x, double[] parts) {}

    private final String xLabel, yLabel;
    private final String[] categories;
    private final Colour[] colours;
    private final List<Bar> bars = new ArrayList<>();

    /** {@code colours} may be null (palette) or shorter than the categories. */
    public StackedBarChart(String title, String xLabel, String yLabel, String[] categories, Colour[] colours) {
        super(title);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = categories.clone();
        this.colours = new Colour[categories.length];
        for (int i = 0; i < categories.length; i++) {
            this.colours[i] = colours != null && i < colours.length && colours[i] != null ? colours[i] : ChartStyle.palette(i);
        }
    }

    /** Adds the bar at x; parts beyond the categories are ignored, missing ones count as 0. */
    public StackedBarChart bar(double x, double[] parts) {
        if (!Double.isFinite(x)) return this;
        double[] p = new double[categories.length];
        for (int i = 0; i < p.length && i < parts.length; i++) p[i] = Double.isFinite(parts[i]) && parts[i] > 0 ? parts[i] : 0;
        bars.add(new Bar(x, p));
        return this;
    }

    @Override
    public boolean hasData() { return !bars.isEmpty(); }

    @Override
    protected void drawBody(Canvas c, double width, double height, double top) {
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        for (int i = 0; i < categories.length; i++) legend.add(new ChartStyle.LegendEntry(categories[i], colours[i], ChartStyle.Swatch.BOX));
        double legendH = ChartStyle.legend(c, legend, 20, width - 20, top);

        List<Bar> sorted = new ArrayList<>(bars);
        sorted.sort((a, b) -> Double.compare(a.x, b.x));
        double xlo = sorted.getFirst().x, xhi = sorted.getLast().x, ymax = 0, minGap = Double.POSITIVE_INFINITY;
        for (int i = 0; i < sorted.size(); i++) {
            double sum = 0;
            for (double v : sorted.get(i).parts) sum += v;
            ymax = Math.max(ymax, sum);
            if (i > 0 && sorted.get(i).x > sorted.get(i - 1).x) minGap = Math.min(minGap, sorted.get(i).x - sorted.get(i - 1).x);
        }
        if (!Double.isFinite(minGap)) minGap = 1;
        Scale xs = Scale.tight(xlo - minGap / 2, xhi + minGap / 2, 10);
        Scale ys = Scale.nice(0, ymax > 0 ? ymax : 1, 6);
        Box p = Axes.plotArea(width, height, top + legendH + 8, 28);
        Axes.draw(c, p, xs, ys, xLabel, yLabel);

        double pxPerUnit = p.width() / (xs.max() - xs.min());
        double barW = Math.max(1, minGap * pxPerUnit * (minGap * pxPerUnit > 6 ? 0.8 : 1.0));
        c.begin("plot", 0, 0, new double[] {p.x() + 1, p.y(), p.width() - 1, p.height()});
        for (Bar b : sorted) {
            double cx = xs.map(b.x, p.x(), p.right()), base = 0;
            c.begin("bar");
            for (int i = 0; i < categories.length; i++) {
                double v = b.parts[i];
                if (v <= 0) continue;
                double y0 = ys.map(base, p.bottom(), p.y()), y1 = ys.map(base + v, p.bottom(), p.y());
                c.fillRect(cx - barW / 2, y1, barW, y0 - y1, colours[i]);
                base += v;
            }
            c.end();
        }
        c.end();
        c.strokeRect(p.x(), p.y(), p.width(), p.height(), ChartStyle.AXIS, Pen.THIN);
    }
}
