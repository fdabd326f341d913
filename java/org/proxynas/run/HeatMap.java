package org.proxynas.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * A matrix as coloured cells (viridis, low = dark purple, high = yellow) with row and column labels, a colour bar,
 * each value written in its cell, and optionally some cells outlined (e.g. the edges and operations the derived
 * genotype keeps). NaN cells are grey. Ragged rows are padded with NaN.
 */
public final class HeatMap extends Chart {
    private static final Color[] VIRIDIS = {
        new Color(0x440154), new Color(0x3b528b), new Color(0x21918c), new Color(0x5ec962), new Color(0xfde725)};
    private static final Color NAN_COLOR = new Color(0xCCCCCC);
    private static final Color HIGHLIGHT = new Color(0xE8112D);

    private final double[][] values;
    private final String[] rowLabels, colLabels;
    private final int rows, cols;
    private boolean[][] highlight;
    private String highlightNote;
    private String rowAxis = "", colAxis = "";

    public HeatMap(String title, double[][] values, String[] rowLabels, String[] colLabels) {
        super(title);
        this.rows = values == null ? 0 : values.length;
        int c = 0;
        for (int r = 0; r < rows; r++) c = Math.max(c, values[r] == null ? 0 : values[r].length);
        this.cols = c;
        this.values = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                this.values[r][j] = values[r] != null && j < values[r].length ? values[r][j] : Double.NaN;
            }
        }
        this.rowLabels = labels(rowLabels, rows, "r");
        this.colLabels = labels(colLabels, cols, "c");
    }

    private static String[] labels(String[] given, int n, String prefix) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = given != null && i < given.length && given[i] != null ? given[i] : prefix + i;
        return out;
    }

    /** Outlines the cells that are true; {@code note} explains the outline under the colour bar. */
    public HeatMap highlight(boolean[][] cells, String note) {
        this.highlight = cells;
        this.highlightNote = note;
        return this;
    }

    /** Axis titles: one above the row labels, one above the column labels. */
    public HeatMap axisNames(String rows, String cols) {
        this.rowAxis = rows == null ? "" : rows;
        this.colAxis = cols == null ? "" : cols;
        return this;
    }

    @Override
    public boolean hasData() {
        for (double[] row : values) for (double v : row) if (Double.isFinite(v)) return true;
        return false;
    }

    /** The pixel rectangle of cell (row, col) in an image rendered at width x height (for tests and overlays). */
    public Rectangle cellBounds(int row, int col, int width, int height) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            ChartStyle.setup(g);
            Rectangle2D.Double grid = grid(g, Math.max(200, width), Math.max(120, height), bodyTop(g));
            double cw = grid.width / cols, ch = grid.height / rows;
            return new Rectangle((int) Math.round(grid.x + col * cw), (int) Math.round(grid.y + row * ch),
                    (int) Math.round(cw), (int) Math.round(ch));
        } finally {
            g.dispose();
        }
    }

    private int bodyTop(Graphics2D g) {
        if (title.isEmpty()) return 10;
        g.setFont(ChartStyle.TITLE_FONT);
        return 10 + g.getFontMetrics().getHeight() + 4;
    }

    private Rectangle2D.Double grid(Graphics2D g, int width, int height, int top) {
        g.setFont(ChartStyle.FONT);
        int labelW = 0;
        for (String s : rowLabels) labelW = Math.max(labelW, g.getFontMetrics().stringWidth(s));
        double left = 16 + labelW + 8, right = width - 110;
        double gridTop = top + 30, bottom = height - 16;
        return new Rectangle2D.Double(left, gridTop, Math.max(10, right - left), Math.max(10, bottom - gridTop));
    }

    @Override
    protected void draw(Graphics2D g, int width, int height, int top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (hi - lo < 1e-12) { hi = lo + 1e-12; }
        Rectangle2D.Double grid = grid(g, width, height, top);
        double cw = grid.width / cols, ch = grid.height / rows;
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));

        // column labels and axis names
        g.setFont(ChartStyle.FONT);
        g.setColor(ChartStyle.TEXT);
        for (int j = 0; j < cols; j++) {
            ChartStyle.drawCentered(g, ChartStyle.fit(g, colLabels[j], (int) cw - 2), grid.x + (j + 0.5) * cw, grid.y - 9);
        }
        g.setFont(ChartStyle.SMALL.deriveFont(Font.ITALIC));
        g.setColor(ChartStyle.MUTED);
        if (!rowAxis.isEmpty()) ChartStyle.drawRight(g, rowAxis, grid.x - 8, grid.y - 9);
        if (!colAxis.isEmpty()) ChartStyle.drawCentered(g, colAxis, grid.x + grid.width / 2, grid.y - 24);

        Font cellFont = ChartStyle.SMALL;
        for (int r = 0; r < rows; r++) {
            double y = grid.y + r * ch;
            g.setFont(ChartStyle.FONT);
            g.setColor(ChartStyle.TEXT);
            ChartStyle.drawRight(g, rowLabels[r], grid.x - 8, y + ch / 2);
            for (int j = 0; j < cols; j++) {
                double v = values[r][j];
                Color c = Double.isFinite(v) ? colour((v - lo) / (hi - lo)) : NAN_COLOR;
                g.setColor(c);
                g.fill(new Rectangle2D.Double(grid.x + j * cw, y, cw + 0.5, ch + 0.5));
                if (ch >= 11 && cw >= 28) {
                    g.setFont(cellFont);
                    g.setColor(luminance(c) > 0.5 ? Color.BLACK : Color.WHITE);
                    ChartStyle.drawCentered(g, ChartStyle.fit(g, annotate(v, maxAbs), (int) cw - 2), grid.x + (j + 0.5) * cw,
                            y + ch / 2);
                }
            }
        }
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1f));
        for (int r = 1; r < rows; r++) g.draw(new java.awt.geom.Line2D.Double(grid.x, grid.y + r * ch, grid.x + grid.width, grid.y + r * ch));
        for (int j = 1; j < cols; j++) g.draw(new java.awt.geom.Line2D.Double(grid.x + j * cw, grid.y, grid.x + j * cw, grid.y + grid.height));
        if (highlight != null) {
            g.setColor(HIGHLIGHT);
            g.setStroke(new BasicStroke(2.5f));
            for (int r = 0; r < Math.min(rows, highlight.length); r++) {
                if (highlight[r] == null) continue;
                for (int j = 0; j < Math.min(cols, highlight[r].length); j++) {
                    if (highlight[r][j]) g.draw(new Rectangle2D.Double(grid.x + j * cw + 1.5, grid.y + r * ch + 1.5, cw - 3, ch - 3));
                }
            }
            g.setStroke(ChartStyle.THIN);
        }

        // colour bar
        double bx = grid.x + grid.width + 22, bw = 16, by = grid.y, bh = grid.height;
        for (int i = 0; i < (int) bh; i++) {
            g.setColor(colour(1 - i / bh));
            g.fill(new Rectangle2D.Double(bx, by + i, bw, 1.5));
        }
        g.setColor(ChartStyle.AXIS);
        g.draw(new Rectangle2D.Double(bx, by, bw, bh));
        Scale s = Scale.nice(lo, hi, 6);
        g.setFont(ChartStyle.SMALL);
        for (double t : s.ticks()) {
            if (t < lo - 1e-12 || t > hi + 1e-12) continue;
            double y = by + bh - (t - lo) / (hi - lo) * bh;
            g.setColor(ChartStyle.AXIS);
            g.draw(new java.awt.geom.Line2D.Double(bx + bw, y, bx + bw + 4, y));
            g.setColor(ChartStyle.TEXT);
            g.drawString(ChartStyle.format(t, s.step()), (float) (bx + bw + 7), (float) (y + 4));
        }
        if (highlight != null && highlightNote != null) {
            g.setFont(ChartStyle.SMALL);
            g.setColor(HIGHLIGHT);
            g.setStroke(new BasicStroke(2f));
            int tw = g.getFontMetrics().stringWidth(highlightNote);
            double nx = width - 12 - tw - 16;
            g.draw(new Rectangle2D.Double(nx, by - 33, 12, 10));
            g.setColor(ChartStyle.TEXT);
            g.drawString(highlightNote, (float) (nx + 16), (float) (by - 24));
            g.setStroke(ChartStyle.THIN);
        }
    }

    private static String annotate(double v, double maxAbs) {
        if (!Double.isFinite(v)) return "NaN";
        if (maxAbs < 0.01 || maxAbs >= 1e4) return String.format(java.util.Locale.ROOT, "%.1e", v);
        String s = String.format(java.util.Locale.ROOT, maxAbs < 1 ? "%.3f" : "%.2f", v);
        return s.matches("-0\\.0+") ? s.substring(1) : s;
    }

    /** Viridis at t in [0, 1]. */
    static Color colour(double t) {
        if (!Double.isFinite(t)) return NAN_COLOR;
        t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(t));
        double f = t - i;
        Color a = VIRIDIS[i], b = VIRIDIS[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }
}
