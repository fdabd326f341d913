package org.proxynas.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.util.List;
import java.util.Locale;

/** Shared look of the charts: fonts, colours, strokes, text helpers and the legend row. */
final class ChartStyle {
    private ChartStyle() {}

    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = FONT.deriveFont(11f);
    static final Font LABEL = FONT.deriveFont(13f);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x888888);
    static final Color AXIS = new Color(0x444444);
    static final Color GRID = new Color(0xE6E6E6);
    static final Stroke THIN = new BasicStroke(1f);
    static final Stroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke DASHED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {5f, 4f}, 0f);

    /** Categorical colours (matplotlib tab10). */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static Color palette(int i) { return PALETTE[Math.floorMod(i, PALETTE.length)]; }

    static void setup(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setFont(FONT);
    }

    /** Draws text centred on (cx, cy). */
    static void drawCentered(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws text right-aligned at x, vertically centred on cy. */
    static void drawRight(Graphics2D g, String s, double x, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (x - fm.stringWidth(s)), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws text rotated 90° counter-clockwise, centred on (cx, cy). */
    static void drawVertical(Graphics2D g, String s, double cx, double cy) {
        AffineTransform old = g.getTransform();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        drawCentered(g, s, 0, 0);
        g.setTransform(old);
    }

    /** Shortens text with an ellipsis so it fits in maxWidth pixels. */
    static String fit(Graphics2D g, String s, int maxWidth) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(s) <= maxWidth) return s;
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > maxWidth) t = t.substring(0, t.length() - 1);
        return t + "…";
    }

    /** One legend entry: a swatch (line or box) and a label. */
    record LegendEntry(String label, Color color, boolean box) {}

    /**
     * Lays the legend out in centred rows between x0 and x1 starting at y; draws it when {@code draw}. Returns the
     * height used (0 for no entries).
     */
    static int legend(Graphics2D g, List<LegendEntry> entries, int x0, int x1, int y, boolean draw) {
        if (entries.isEmpty()) return 0;
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        int rowH = fm.getHeight() + 4, swatch = 18, gap = 18;
        java.util.List<java.util.List<LegendEntry>> rows = new java.util.ArrayList<>();
        java.util.List<LegendEntry> row = new java.util.ArrayList<>();
        int rowW = 0, avail = x1 - x0;
        for (LegendEntry e : entries) {
            int ew = swatch + 5 + fm.stringWidth(e.label());
            if (!row.isEmpty() && rowW + gap + ew > avail) {
                rows.add(row);
                row = new java.util.ArrayList<>();
                rowW = 0;
            }
            rowW += (row.isEmpty() ? 0 : gap) + ew;
            row.add(e);
        }
        rows.add(row);
        if (rows.size() > 1) { // balance: equal entries per row rather than one straggler on the last
            int per = (entries.size() + rows.size() - 1) / rows.size();
            java.util.List<java.util.List<LegendEntry>> even = new java.util.ArrayList<>();
            boolean fits = true;
            for (int i = 0; i < entries.size(); i += per) {
                java.util.List<LegendEntry> chunk = entries.subList(i, Math.min(entries.size(), i + per));
                int w = -gap;
                for (LegendEntry e : chunk) w += swatch + 5 + fm.stringWidth(e.label()) + gap;
                fits &= w <= avail;
                even.add(chunk);
            }
            if (fits && even.size() == rows.size()) rows = even;
        }
        if (draw) {
            for (int r = 0; r < rows.size(); r++) {
                int width = 0;
                for (LegendEntry e : rows.get(r)) width += swatch + 5 + fm.stringWidth(e.label()) + gap;
                width -= gap;
                int x = x0 + Math.max(0, (avail - width) / 2);
                int cy = y + r * rowH + rowH / 2;
                for (LegendEntry e : rows.get(r)) {
                    g.setColor(e.color());
                    if (e.box()) {
                        g.fillRect(x + 3, cy - 6, swatch - 6, 12);
                    } else {
                        g.setStroke(LINE);
                        g.drawLine(x, cy, x + swatch, cy);
                        g.setStroke(THIN);
                    }
                    g.setColor(TEXT);
                    drawRightOf(g, e.label(), x + swatch + 5, cy);
                    x += swatch + 5 + fm.stringWidth(e.label()) + gap;
                }
            }
        }
        return rows.size() * rowH + 4;
    }

    private static void drawRightOf(Graphics2D g, String s, double x, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) x, (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** A compact number for tick labels and annotations. */
    static String format(double v, double step) {
        if (Double.isNaN(v)) return "NaN";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e6 || (step > 0 && step < 1e-4) || a < 1e-4) return String.format(Locale.ROOT, "%.2g", v);
        int decimals = step > 0 ? (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) : 2;
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }
}
