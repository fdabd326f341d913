package org.proxynas.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The look every chart shares: fonts, colours, the palette, number format, text fitting and the legend row. */
public final class ChartStyle {
    private ChartStyle() {}

    public static final TextStyle FONT = TextStyle.plain(12), SMALL = TextStyle.plain(11), LABEL = TextStyle.plain(13),
            TITLE = new TextStyle(16, true, false);
    public static final Colour WHITE = Colour.of(0xFFFFFF), BLACK = Colour.of(0x000000), TEXT = Colour.of(0x222222),
            MUTED = Colour.of(0x888888), AXIS = Colour.of(0x444444), GRID = Colour.of(0xE6E6E6);

    /** Categorical colours: matplotlib's tab10, then two of tab20b's darks (the benchmark compares eleven methods). */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf, 0x393b79, 0x637939};

    /** The i-th palette colour (cycling). */
    public static Colour palette(int i) { return Colour.of(PALETTE[Math.floorMod(i, PALETTE.length)]); }

    /** Shortens text with an ellipsis so that it fits in maxWidth pixels. */
    public static String fit(String s, TextStyle f, double maxWidth) {
        if (f.width(s) <= maxWidth) return s;
        String t = s;
        while (t.length() > 1 && f.width(t + "…") > maxWidth) t = t.substring(0, t.length() - 1);
        return t + "…";
    }

    /** Text centred on (cx, cy). */
    static void centred(Canvas c, String s, double cx, double cy, TextStyle f, Colour col) {
        c.text(s, cx, cy + f.centreToBaseline(), f, col, Canvas.Anchor.MIDDLE, false);
    }

    /** Text right-aligned at x, vertically centred on cy. */
    static void rightAligned(Canvas c, String s, double x, double cy, TextStyle f, Colour col) {
        c.text(s, x, cy + f.centreToBaseline(), f, col, Canvas.Anchor.END, false);
    }

    /** Text starting at x, vertically centred on cy. */
    static void leftAligned(Canvas c, String s, double x, double cy, TextStyle f, Colour col) {
        c.text(s, x, cy + f.centreToBaseline(), f, col, Canvas.Anchor.START, false);
    }

    /** How a legend entry's swatch looks. */
    enum Swatch { LINE, BOX, DOT, DASHED }

    /** One legend entry. */
    record LegendEntry(String label, Colour colour, Swatch swatch) {}

    private static final double SWATCH = 18, GAP = 18;

    /** The legend's rows laid out between x0 and x1: greedy, then balanced so the last row is not a straggler. */
    private static List<List<LegendEntry>> rows(List<LegendEntry> entries, double avail) {
        List<List<LegendEntry>> rows = new ArrayList<>();
        List<LegendEntry> row = new ArrayList<>();
        double rowW = 0;
        for (LegendEntry e : entries) {
            double ew = entryWidth(e);
            if (!row.isEmpty() && rowW + GAP + ew > avail) {
                rows.add(row);
                row = new ArrayList<>();
                rowW = 0;
            }
            rowW += (row.isEmpty() ? 0 : GAP) + ew;
            row.add(e);
        }
        rows.add(row);
        if (rows.size() > 1) {
            int per = (entries.size() + rows.size() - 1) / rows.size();
            List<List<LegendEntry>> even = new ArrayList<>();
            boolean fits = true;
            for (int i = 0; i < entries.size(); i += per) {
                List<LegendEntry> chunk = entries.subList(i, Math.min(entries.size(), i + per));
                fits &= rowWidth(chunk) <= avail;
                even.add(chunk);
            }
            if (fits && even.size() == rows.size()) rows = even;
        }
        return rows;
    }

    private static double entryWidth(LegendEntry e) { return SWATCH + 5 + FONT.width(e.label()); }

    private static double rowWidth(List<LegendEntry> row) {
        double w = -GAP;
        for (LegendEntry e : row) w += entryWidth(e) + GAP;
        return w;
    }

    private static double rowHeight() { return FONT.lineHeight() + 4; }

    /** Height the legend takes between x0 and x1 (0 for no entries). */
    static double legendHeight(List<LegendEntry> entries, double x0, double x1) {
        return entries.isEmpty() ? 0 : rows(entries, x1 - x0).size() * rowHeight() + 4;
    }

    /** Draws the legend in centred rows between x0 and x1 from y down; returns the height used. */
    static double legend(Canvas c, List<LegendEntry> entries, double x0, double x1, double y) {
        if (entries.isEmpty()) return 0;
        List<List<LegendEntry>> rows = rows(entries, x1 - x0);
        c.begin("legend");
        for (int r = 0; r < rows.size(); r++) {
            double x = x0 + Math.max(0, (x1 - x0 - rowWidth(rows.get(r))) / 2);
            double cy = y + r * rowHeight() + rowHeight() / 2;
            for (LegendEntry e : rows.get(r)) {
                swatch(c, e, x, cy);
                leftAligned(c, e.label(), x + SWATCH + 5, cy, FONT, TEXT);
                x += entryWidth(e) + GAP;
            }
        }
        c.end();
        return rows.size() * rowHeight() + 4;
    }

    /** A swatch SWATCH wide starting at x, centred on cy. */
    static void swatch(Canvas c, LegendEntry e, double x, double cy) {
        switch (e.swatch()) {
            case BOX -> c.fillRect(x + 3, cy - 6, SWATCH - 6, 12, e.colour());
            case DOT -> c.fillCircle(x + SWATCH / 2, cy, 5, e.colour());
            case LINE -> c.line(x, cy, x + SWATCH, cy, e.colour(), Pen.LINE);
            case DASHED -> c.line(x, cy, x + SWATCH, cy, e.colour(), Pen.DASHED);
        }
    }

    /** A compact number for tick labels and annotations; {@code step} is the tick spacing (0 if none). */
    public static String format(double v, double step) {
        if (Double.isNaN(v)) return "NaN";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e6 || (step > 0 && step < 1e-4) || a < 1e-4) return String.format(Locale.ROOT, "%.2g", v);
        int decimals = step > 0 ? (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) : 2;
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }
}
