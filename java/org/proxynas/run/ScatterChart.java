package org.proxynas.run;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Predicted against measured values: one or more point sets on a square plot whose two axes share one range, with
 * the y = x diagonal (a perfect predictor lies on it) and the legend to the right. The caller puts Kendall's τ or
 * anything else into the title and the series names (see {@link org.proxynas.proxy.KendallTau}).
 */
public final class ScatterChart extends Chart {
    private record Series(String name, double[] x, double[] y, Color color) {}

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

    public ScatterChart series(String name, double[] x, double[] y, Color color) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), color));
        return this;
    }

    /** Whether to draw the y = x line (default true). */
    public ScatterChart diagonal(boolean on) {
        this.diagonal = on;
        return this;
    }

    private static int finite(Series s) {
        int n = 0;
        for (int i = 0; i < s.x.length; i++) if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) n++;
        return n;
    }

    @Override
    public boolean hasData() {
        for (Series s : series) if (finite(s) > 0) return true;
        return false;
    }

    @Override
    protected void draw(Graphics2D g, int width, int height, int top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                lo = Math.min(lo, Math.min(s.x[i], s.y[i]));
                hi = Math.max(hi, Math.max(s.x[i], s.y[i]));
            }
        }
        double pad = (hi - lo) * 0.04;
        Scale sc = Scale.nice(lo - pad, hi + pad, 7);
        int side = Math.max(10, Math.min(height - top - 8 - 54, width - 78 - 260));
        Rectangle p = new Rectangle(78, top + 8, side, side);
        Axes.draw(g, p, sc, sc, xLabel, yLabel);

        Shape oldClip = g.getClip();
        g.clipRect(p.x, p.y, p.width + 1, p.height + 1);
        if (diagonal) {
            g.setColor(ChartStyle.MUTED);
            g.setStroke(ChartStyle.DASHED);
            g.draw(new Line2D.Double(p.x, p.y + p.height, p.x + p.width, p.y));
            g.setStroke(ChartStyle.THIN);
        }
        for (Series s : series) {
            int n = finite(s);
            double r = n > 500 ? 2.2 : 3.5;
            Color c = new Color(s.color.getRed(), s.color.getGreen(), s.color.getBlue(), n > 200 ? 150 : 200);
            g.setColor(c);
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                double px = sc.map(s.x[i], p.x, p.x + p.width), py = sc.map(s.y[i], p.y + p.height, p.y);
                g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
            }
        }
        g.setClip(oldClip);

        // legend, one entry per line, right of the plot
        int lx = p.x + p.width + 24, ly = p.y + 6;
        g.setFont(ChartStyle.FONT);
        int lineH = g.getFontMetrics().getHeight() + 6;
        for (Series s : series) {
            if (finite(s) == 0) continue;
            g.setColor(s.color);
            g.fill(new Ellipse2D.Double(lx, ly + lineH / 2.0 - 5, 10, 10));
            g.setColor(ChartStyle.TEXT);
            String label = ChartStyle.fit(g, s.name, width - lx - 24);
            g.drawString(label, lx + 16, ly + lineH / 2 + g.getFontMetrics().getAscent() / 2 - 1);
            ly += lineH;
        }
        if (diagonal) {
            g.setColor(ChartStyle.MUTED);
            g.setStroke(ChartStyle.DASHED);
            g.drawLine(lx - 2, ly + lineH / 2, lx + 12, ly + lineH / 2);
            g.setStroke(ChartStyle.THIN);
            g.setColor(ChartStyle.TEXT);
            g.drawString("y = x", lx + 16, ly + lineH / 2 + g.getFontMetrics().getAscent() / 2 - 1);
        }
    }
}
