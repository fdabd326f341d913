package org.proxynas.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Several named series over a shared x axis, with ticks, axis labels, a legend row under the title and optional
 * labelled vertical markers (e.g. phase boundaries). NaN points break a line; series with nothing finite are left
 * out of the legend.
 */
public final class LineChart extends Chart {
    /** How a series is drawn. */
    public enum Style { LINE, POINTS, LINE_AND_POINTS }

    private record Series(String name, double[] x, double[] y, Color color, Style style) {}

    private record Marker(double x, String label) {}

    private record Band(double[] x, double[] lo, double[] hi, Color color) {}

    private final String xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
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
    public LineChart series(String name, double[] x, double[] y, Color color, Style style) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), color, style));
        return this;
    }

    /** A translucent band between lo and hi (e.g. a confidence interval), drawn under the lines, not in the legend. */
    public LineChart band(double[] x, double[] lo, double[] hi, Color color) {
        if (x.length != lo.length || x.length != hi.length) {
            throw new IllegalArgumentException("band: " + x.length + " x values but " + lo.length + " lower and " + hi.length + " upper");
        }
        bands.add(new Band(x.clone(), lo.clone(), hi.clone(), color));
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
        for (Series s : series) if (finitePoints(s) > 0) return true;
        return false;
    }

    private static int finitePoints(Series s) {
        int n = 0;
        for (int i = 0; i < s.x.length; i++) if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) n++;
        return n;
    }

    @Override
    protected void draw(Graphics2D g, int width, int height, int top) {
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (finitePoints(s) == 0) continue;
            legend.add(new ChartStyle.LegendEntry(s.name, s.color, false));
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                xlo = Math.min(xlo, s.x[i]);
                xhi = Math.max(xhi, s.x[i]);
                ylo = Math.min(ylo, s.y[i]);
                yhi = Math.max(yhi, s.y[i]);
            }
        }
        int legendH = ChartStyle.legend(g, legend, 20, width - 20, top, false);
        ChartStyle.legend(g, legend, 20, width - 20, top, true);
        Rectangle p = Axes.plotArea(width, height, top + legendH + 8, 28);
        double xpad = (xhi - xlo) * 0.01;
        Scale xs = Scale.tight(xlo - xpad, xhi + xpad, 10);
        Scale ys = Double.isFinite(yMin) && Double.isFinite(yMax) ? Scale.fixed(yMin, yMax, 9) : Scale.nice(ylo, yhi, 8);
        Axes.draw(g, p, xs, ys, xLabel, yLabel);

        Shape oldClip = g.getClip();
        g.clipRect(p.x, p.y - 1, p.width + 1, p.height + 2);
        g.setFont(ChartStyle.SMALL);
        for (Marker m : markers) {
            if (!Double.isFinite(m.x) || m.x < xs.min() || m.x > xs.max()) continue;
            double x = xs.map(m.x, p.x, p.x + p.width);
            g.setColor(ChartStyle.MUTED);
            g.setStroke(ChartStyle.DASHED);
            g.draw(new java.awt.geom.Line2D.Double(x, p.y, x, p.y + p.height));
            g.setStroke(ChartStyle.THIN);
            if (m.label != null) g.drawString(m.label, (float) x + 4, p.y + 13);
        }
        for (Band b : bands) {
            Path2D.Double area = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < b.x.length; i++) {
                if (!Double.isFinite(b.x[i]) || !Double.isFinite(b.hi[i]) || !Double.isFinite(b.lo[i])) continue;
                double px = xs.map(b.x[i], p.x, p.x + p.width), py = ys.map(b.hi[i], p.y + p.height, p.y);
                if (started) area.lineTo(px, py); else area.moveTo(px, py);
                started = true;
            }
            for (int i = b.x.length - 1; i >= 0 && started; i--) {
                if (!Double.isFinite(b.x[i]) || !Double.isFinite(b.hi[i]) || !Double.isFinite(b.lo[i])) continue;
                area.lineTo(xs.map(b.x[i], p.x, p.x + p.width), ys.map(b.lo[i], p.y + p.height, p.y));
            }
            if (!started) continue;
            area.closePath();
            g.setColor(new Color(b.color.getRed(), b.color.getGreen(), b.color.getBlue(), 50));
            g.fill(area);
        }
        for (Series s : series) {
            g.setColor(s.color);
            int n = finitePoints(s);
            if (s.style != Style.POINTS) {
                g.setStroke(n > 400 ? new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND) : ChartStyle.LINE);
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int i = 0; i < s.x.length; i++) {
                    if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) { pen = false; continue; }
                    double px = xs.map(s.x[i], p.x, p.x + p.width), py = ys.map(s.y[i], p.y + p.height, p.y);
                    if (pen) path.lineTo(px, py); else path.moveTo(px, py);
                    pen = true;
                }
                g.draw(path);
                // a single isolated point would be invisible as a path: mark it
                if (n == 1) s = new Series(s.name, s.x, s.y, s.color, Style.POINTS);
            }
            if (s.style != Style.LINE) {
                double r = n > 300 ? 1.8 : 3;
                for (int i = 0; i < s.x.length; i++) {
                    if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                    double px = xs.map(s.x[i], p.x, p.x + p.width), py = ys.map(s.y[i], p.y + p.height, p.y);
                    g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
                }
            }
        }
        g.setStroke(ChartStyle.THIN);
        g.setClip(oldClip);
    }
}
