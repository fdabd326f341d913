package org.proxynas.chart;

import java.util.Locale;

/**
 * A matrix as coloured cells (viridis, low = dark purple, high = yellow) with row and column labels, a colour bar,
 * each value written in its cell, and optionally some cells outlined (e.g. the edges and operations the derived
 * genotype keeps). NaN cells are grey. Ragged rows are padded with NaN.
 */
public final class HeatMap extends Chart {
    private static final Colour[] VIRIDIS = {
        Colour.of(0x440154), Colour.of(0x3b528b), Colour.of(0x21918c), Colour.of(0x5ec962), Colour.of(0xfde725)};
    private static final Colour NAN_COLOUR = Colour.of(0xCCCCCC);
    private static final Colour HIGHLIGHT = Colour.of(0xE8112D);
    private static final int BAR_STRIPS = 64;

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

    /** Outlines the cells that are true; {@code note} explains the outline above the colour bar. */
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

    /** The pixel rectangle of cell (row, col) in the chart drawn at width x height (for tests and overlays). */
    public Box cellBounds(int row, int col, int width, int height) {
        Box grid = grid(Math.max(200, width), Math.max(120, height), bodyTop(title));
        double cw = grid.width() / cols, ch = grid.height() / rows;
        return new Box(grid.x() + col * cw, grid.y() + row * ch, cw, ch);
    }

    private Box grid(double width, double height, double top) {
        double labelW = 0;
        for (String s : rowLabels) labelW = Math.max(labelW, ChartStyle.FONT.width(s));
        double left = 16 + labelW + 8, right = width - 110;
        double gridTop = top + 30, bottom = height - 16;
        return new Box(left, gridTop, Math.max(10, right - left), Math.max(10, bottom - gridTop));
    }

    @Override
    protected void drawBody(Canvas c, double width, double height, double top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (hi - lo < 1e-12) hi = lo + 1e-12;
        Box grid = grid(width, height, top);
        double cw = grid.width() / cols, ch = grid.height() / rows;
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));

        c.begin("labels");
        for (int j = 0; j < cols; j++) {
            ChartStyle.centred(c, ChartStyle.fit(colLabels[j], ChartStyle.FONT, cw - 2), grid.x() + (j + 0.5) * cw, grid.y() - 9,
                    ChartStyle.FONT, ChartStyle.TEXT);
        }
        for (int r = 0; r < rows; r++) {
            ChartStyle.rightAligned(c, rowLabels[r], grid.x() - 8, grid.y() + (r + 0.5) * ch, ChartStyle.FONT, ChartStyle.TEXT);
        }
        TextStyle axisFont = ChartStyle.SMALL.italicised();
        if (!rowAxis.isEmpty()) ChartStyle.rightAligned(c, rowAxis, grid.x() - 8, grid.y() - 9, axisFont, ChartStyle.MUTED);
        if (!colAxis.isEmpty()) ChartStyle.centred(c, colAxis, grid.centreX(), grid.y() - 24, axisFont, ChartStyle.MUTED);
        c.end();

        c.begin("cells");
        for (int r = 0; r < rows; r++) {
            double y = grid.y() + r * ch;
            for (int j = 0; j < cols; j++) {
                double v = values[r][j];
                Colour col = Double.isFinite(v) ? colour((v - lo) / (hi - lo)) : NAN_COLOUR;
                c.fillRect(grid.x() + j * cw, y, cw + 0.5, ch + 0.5, col);
                if (ch >= 11 && cw >= 28) {
                    ChartStyle.centred(c, ChartStyle.fit(annotate(v, maxAbs), ChartStyle.SMALL, cw - 2), grid.x() + (j + 0.5) * cw,
                            y + ch / 2, ChartStyle.SMALL, col.luminance() > 0.5 ? ChartStyle.BLACK : ChartStyle.WHITE);
                }
            }
        }
        for (int r = 1; r < rows; r++) c.line(grid.x(), grid.y() + r * ch, grid.right(), grid.y() + r * ch, ChartStyle.WHITE, Pen.THIN);
        for (int j = 1; j < cols; j++) c.line(grid.x() + j * cw, grid.y(), grid.x() + j * cw, grid.bottom(), ChartStyle.WHITE, Pen.THIN);
        c.end();
        if (highlight != null) {
            c.begin("highlight");
            for (int r = 0; r < Math.min(rows, highlight.length); r++) {
                if (highlight[r] == null) continue;
                for (int j = 0; j < Math.min(cols, highlight[r].length); j++) {
                    if (highlight[r][j]) c.strokeRect(grid.x() + j * cw + 1.5, grid.y() + r * ch + 1.5, cw - 3, ch - 3, HIGHLIGHT, Pen.OUTLINE);
                }
            }
            c.end();
        }
        colourBar(c, grid, lo, hi);
        if (highlight != null && highlightNote != null) {
            double nx = width - 12 - ChartStyle.SMALL.width(highlightNote) - 16;
            c.strokeRect(nx, grid.y() - 33, 12, 10, HIGHLIGHT, Pen.LINE);
            c.text(highlightNote, nx + 16, grid.y() - 24, ChartStyle.SMALL, ChartStyle.TEXT, Canvas.Anchor.START, false);
        }
    }

    private static void colourBar(Canvas c, Box grid, double lo, double hi) {
        double bx = grid.right() + 22, bw = 16, by = grid.y(), bh = grid.height(), strip = bh / BAR_STRIPS;
        c.begin("colour-bar");
        for (int i = 0; i < BAR_STRIPS; i++) c.fillRect(bx, by + i * strip, bw, strip + 0.5, colour(1 - (i + 0.5) / BAR_STRIPS));
        c.strokeRect(bx, by, bw, bh, ChartStyle.AXIS, Pen.THIN);
        Scale s = Scale.nice(lo, hi, 6);
        for (double t : s.ticks()) {
            if (t < lo - 1e-12 || t > hi + 1e-12) continue;
            double y = by + bh - (t - lo) / (hi - lo) * bh;
            c.line(bx + bw, y, bx + bw + 4, y, ChartStyle.AXIS, Pen.THIN);
            c.text(ChartStyle.format(t, s.step()), bx + bw + 7, y + 4, ChartStyle.SMALL, ChartStyle.TEXT, Canvas.Anchor.START, false);
        }
        c.end();
    }

    private static String annotate(double v, double maxAbs) {
        if (!Double.isFinite(v)) return "NaN";
        if (maxAbs < 0.01 || maxAbs >= 1e4) return String.format(Locale.ROOT, "%.1e", v);
        String s = String.format(Locale.ROOT, maxAbs < 1 ? "%.3f" : "%.2f", v);
        return s.matches("-0\\.0+") ? s.substring(1) : s;
    }

    /** Viridis at t in [0, 1]. */
    public static Colour colour(double t) {
        if (!Double.isFinite(t)) return NAN_COLOUR;
        t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(t));
        return Colour.mix(VIRIDIS[i], VIRIDIS[i + 1], t - i);
    }
}
