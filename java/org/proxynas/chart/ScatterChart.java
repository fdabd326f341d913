package org.proxynas.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicted against measured values: one or more point sets on a square plot whose two axes share one range, with
 * the y = x diagonal (a perfect predictor lies on it) and the legend to the right. The caller puts Kendall's τ or
 * anything else into the title and the series names.
 */
public final class ScatterChart extends Chart {
    private record Series(String name, double[] x, double[] y, Colour colour) {
        boolean finite(int i) { return Double.isFinite(x[i]) && Double.isFinite(y[i]); }

        int finitePoints() {
            int n = 0;
            for (int i = 0; i < x.length; i++) if (finite(i)) n++;
            return n;
        }
    }

    private final String xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean diagonal = true;

    public ScatterChart(String title, String xLabel, String yLabel) {
        super(title);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a point set (x = measured, y = predicted) in the next palette colour. */
    public ScatterChart series(String name, double[] x, double[] y) {
        return series(name, x, y, ChartStyle.palette(series.size()));
    }

    public ScatterChart series(String name, double[] x, double[] y, Colour colour) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), colour));
        return this;
    }

    /** Whether to draw the y = x line (default true). */
    public ScatterChart diagonal(boolean on) {
        this.diagonal = on;
        return this;
    }

    @Override
    public boolean hasData() {
        for (Series s : series) if (s.finitePoints() > 0) return true;
        return false;
    }

    @Override
    protected void drawBody(Canvas c, double width, double height, double top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!s.finite(i)) continue;
                lo = Math.min(lo, Math.min(s.x[i], s.y[i]));
                hi = Math.max(hi, Math.max(s.x[i], s.y[i]));
            }
        }
        double pad = (hi - lo) * 0.04;
        Scale sc = Scale.nice(lo - pad, hi + pad, 7);
        double side = Math.max(10, Math.min(height - top - 8 - Axes.BOTTOM, width - Axes.LEFT - 260));
        Box p = new Box(Axes.LEFT, top + 8, side, side);
        Axes.draw(c, p, sc, sc, xLabel, yLabel);

        c.begin("plot", 0, 0, new double[] {p.x(), p.y(), p.width() + 1, p.height() + 1});
        if (diagonal) c.line(p.x(), p.bottom(), p.right(), p.y(), ChartStyle.MUTED, Pen.DASHED);
        for (Series s : series) {
            int n = s.finitePoints();
            if (n == 0) continue;
            double r = n > 500 ? 2.2 : 3.5;
            Colour col = s.colour.withOpacity(n > 200 ? 0.6 : 0.8);
            c.begin("series");
            for (int i = 0; i < s.x.length; i++) {
                if (s.finite(i)) c.fillCircle(sc.map(s.x[i], p.x(), p.right()), sc.map(s.y[i], p.bottom(), p.y()), r, col);
            }
            c.end();
        }
        c.end();

        // legend, one entry per line, right of the plot
        double lx = p.right() + 24, lineH = ChartStyle.FONT.lineHeight() + 6, cy = p.y() + 6 + lineH / 2;
        c.begin("legend");
        for (Series s : series) {
            if (s.finitePoints() == 0) continue;
            ChartStyle.swatch(c, new ChartStyle.LegendEntry(s.name, s.colour, ChartStyle.Swatch.DOT), lx - 4, cy);
            ChartStyle.leftAligned(c, ChartStyle.fit(s.name, ChartStyle.FONT, width - lx - 40), lx + 16, cy, ChartStyle.FONT, ChartStyle.TEXT);
            cy += lineH;
        }
        if (diagonal) {
            ChartStyle.swatch(c, new ChartStyle.LegendEntry("y = x", ChartStyle.MUTED, ChartStyle.Swatch.DASHED), lx - 4, cy);
            ChartStyle.leftAligned(c, "y = x", lx + 16, cy, ChartStyle.FONT, ChartStyle.TEXT);
        }
        c.end();
    }
}
