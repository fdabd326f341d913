package org.proxynas.chart;

/** A sans-serif font: size in pixels, bold, italic. */
public record TextStyle(double size, boolean bold, boolean italic) {
    public static TextStyle plain(double size) { return new TextStyle(size, false, false); }

    public TextStyle italicised() { return new TextStyle(size, bold, true); }

    /**
     * Estimated advance width of {@code s} in pixels. Layout uses this on every canvas (SVG has no font metrics and
     * the renderer picks its own font), so widths are per-character averages of a Helvetica-like face: generous
     * enough that labels fit in common sans-serif fonts.
     */
    public double width(String s) {
        double w = 0;
        for (int i = 0; i < s.length(); i++) w += em(s.charAt(i));
        return w * size * (bold ? 1.07 : 1.0);
    }

    /** Offset from a line's vertical centre to its baseline (about half the cap height). */
    public double centreToBaseline() { return 0.36 * size; }

    /** Line height. */
    public double lineHeight() { return 1.2 * size; }

    private static double em(char c) {
        if (c == ' ') return 0.28;
        if ("iljtfI.,;:'!|()[]`".indexOf(c) >= 0) return 0.3;
        if ("mwMW@%".indexOf(c) >= 0) return 0.86;
        if (c >= '0' && c <= '9') return 0.56;
        if (c >= 'A' && c <= 'Z') return 0.68;
        return 0.56;
    }
}
