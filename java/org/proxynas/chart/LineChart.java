package org.proxynas.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Named series over a shared x axis, shaded bands (e.g. confidence intervals) drawn under them, ticks, axis labels,
 * a legend row under the title and optional labelled vertical markers (e.g. phase boundaries). NaN points break a
 * line and a band; series with nothing finite are left out of the legend.
 */
public final class LineChart extends Chart {
    /** How a series is drawn. */
    public enum Style { LINE, POINTS, LINE_AND_POINTS }

    private static final class Series {
        final String name;
        final double[] x, y;
        final Colour colour;
        final Style style;

        Series(String name, double[] x, double[] y, Colour colour, Style style) {
            this.name = name;
            this.x = x;
            this.y = y;
            this.colour = colour;
            this.style = style;
        }

        boolean finite(int i) { return Double.isFinite(x[i]) && Double.isFinite(y[i]); }

        int finitePoints() {
            int n = 0;
            for (int i = 0; i < x.length; i++) if (finite(i)) n++;
            return n;
        }
    }

    private record Band(double[] x, double[] lo, double[] hi, Colour colour) {
        boolean finite(int i) { return Double.isFinite(x[i]) && Double.isFinite(lo[i]) && Double.isFinite(hi[i]); }
    }

    private record Marker(double x, String label) {}

    private final String xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private double yMin = Double.NaN, yMax = Double.NaN;

    public LineChart(String title, String xLabel, String yLabel) {
        super(title);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a line in the next palette colour. */
    public LineChart series(String name, double[] x, double[] y) {
        return series(name, x, y, ChartStyle.palette(series.size()), Style.LINE);
    }

    /** Adds a series with an explicit colour and style; x and y must have the same length. */
    public LineChart series(String name, double[] x, double[] y, Colour colour, Style style) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), colour, style));
        return this;
    }

    /**
     * A band between lo and hi at each x (e.g. a confidence interval over seeds), in the colour at 20 % opacity,
     * drawn under the lines and not in the legend; NaN entries break it.
     */
    public LineChart band(double[] x, double[] lo, double[] hi, Colour colour) {
        if (x.length != lo.length || x.length != hi.length) {
            throw new IllegalArgumentException("band: " + x.length + " x values but " + lo.length + " low and " + hi.length + " high values");
        }
        bands.add(new Band(x.clone(), lo.clone(), hi.clone(), colour));
        return this;
    }

    /** A dashed vertical line at x with a label at the top of the plot. */
    public LineChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    /** Fixes the y range (e.g. [-1, 1] for a rank correlation) instead of fitting it to the data. */
    public LineChart yRange(double min, double max) {
        this.yMin = min;
        this.yMax = max;
        return this;
    }

    @Override
    public boolean hasData() {
        for (Series s : series) if (s.finitePoints() > 0) return true;
        return false;
    }

    @Override
    protected void drawBody(Canvas c, double width, double height, double top) {
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (s.finitePoints() == 0) continue;
            legend.add(new ChartStyle.LegendEntry(s.name, s.colour,
                    s.style == Style.POINTS ? ChartStyle.Swatch.DOT : ChartStyle.Swatch.LINE));
            for (int i = 0; i < s.x.length; i++) {
                if (s.finite(i)) {
                    xlo = Math.min(xlo, s.x[i]);
                    xhi = Math.max(xhi, s.x[i]);
                    ylo = Math.min(ylo, s.y[i]);
                    yhi = Math.max(yhi, s.y[i]);
                }
            }
        }
        for (Band b : bands) {
            for (int i = 0; i < b.x.length; i++) {
                if (!b.finite(i)) continue;
                xlo = Math.min(xlo, b.x[i]);
                xhi = Math.max(xhi, b.x[i]);
                ylo = Math.min(ylo, Math.min(b.lo[i], b.hi[i]));
                yhi = Math.max(yhi, Math.max(b.lo[i], b.hi[i]));
            }
        }
        double legendH = ChartStyle.legend(c, legend, 20, width - 20, top);
        Box p = Axes.plotArea(width, height, top + legendH + 8, 28);
        double xpad = (xhi - xlo) * 0.01;
        Scale xs = Scale.tight(xlo - xpad, xhi + xpad, 10);
        Scale ys = Double.isFinite(yMin) && Double.isFinite(yMax) ? Scale.fixed(yMin, yMax, 9) : Scale.nice(ylo, yhi, 8);
        Axes.draw(c, p, xs, ys, xLabel, yLabel);

        c.begin("plot", 0, 0, new double[] {p.x(), p.y() - 1, p.width() + 1, p.height() + 2});
        for (Marker m : markers) {
            if (!Double.isFinite(m.x) || m.x < xs.min() || m.x > xs.max()) continue;
            double x = xs.map(m.x, p.x(), p.right());
            c.begin("marker");
            c.line(x, p.y(), x, p.bottom(), ChartStyle.MUTED, Pen.DASHED);
            if (m.label != null) c.text(m.label, x + 4, p.y() + 13, ChartStyle.SMALL, ChartStyle.MUTED, Canvas.Anchor.START, false);
            c.end();
        }
        for (Band b : bands) drawBand(c, b, p, xs, ys);
        for (Series s : series) {
            if (s.finitePoints() == 0) continue;
            c.begin("series");
            int n = s.finitePoints();
            double[] px = new double[s.x.length], py = new double[s.x.length];
            if (s.style != Style.POINTS) {
                Pen pen = n > 400 ? Pen.FINE_LINE : Pen.LINE;
                int run = 0;
                for (int i = 0; i <= s.x.length; i++) {
                    if (i < s.x.length && s.finite(i)) {
                        px[run] = xs.map(s.x[i], p.x(), p.right());
                        py[run] = ys.map(s.y[i], p.bottom(), p.y());
                        run++;
                    } else {
                        if (run > 1) c.polyline(px, py, run, s.colour, pen);
                        run = 0;
                    }
                }
            }
            // a single point would be invisible as a line: mark it
            if (s.style != Style.LINE || n == 1) {
                double r = n > 300 ? 1.8 : 3;
                for (int i = 0; i < s.x.length; i++) {
                    if (s.finite(i)) c.fillCircle(xs.map(s.x[i], p.x(), p.right()), ys.map(s.y[i], p.bottom(), p.y()), r, s.colour);
                }
            }
            c.end();
        }
        c.end();
    }

    /** The band as one polygon per run of finite values: along hi, then back along lo. */
    private static void drawBand(Canvas c, Band b, Box p, Scale xs, Scale ys) {
        double[] bx = new double[2 * b.x.length], by = new double[2 * b.x.length];
        c.begin("band");
        int start = -1;
        for (int i = 0; i <= b.x.length; i++) {
            boolean ok = i < b.x.length && b.finite(i);
            if (ok && start < 0) start = i;
            if (!ok && start >= 0) {
                int k = 0;
                for (int j = start; j < i; j++, k++) {
                    bx[k] = xs.map(b.x[j], p.x(), p.right());
                    by[k] = ys.map(b.hi[j], p.bottom(), p.y());
                }
                for (int j = i - 1; j >= start; j--, k++) {
                    bx[k] = xs.map(b.x[j], p.x(), p.right());
                    by[k] = ys.map(b.lo[j], p.bottom(), p.y());
                }
                if (i - start > 1) c.fillPolygon(bx, by, k, b.colour.withOpacity(0.2));
                start = -1;
            }
        }
        c.end();
    }
}
