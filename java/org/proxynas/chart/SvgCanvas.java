package org.proxynas.chart;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A canvas that writes a self-contained SVG document (well-formed XML, no external references). Clip-path ids start
 * with a caller-given prefix so several charts can be inlined in one HTML page.
 */
public final class SvgCanvas implements Canvas {
    private static final String FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif";

    private final StringBuilder b = new StringBuilder(16 * 1024);
    private final String idPrefix;
    private final Deque<String> open = new ArrayDeque<>();
    private int clips;

    /** {@code idPrefix}: letters, digits, '-' or '_', starting with a letter (it names the clip paths). */
    public SvgCanvas(int width, int height, String idPrefix) {
        if (!idPrefix.matches("[A-Za-z][A-Za-z0-9_-]*")) throw new IllegalArgumentException("SVG id prefix '" + idPrefix
                + "' must be a letter followed by letters, digits, '-' or '_'");
        this.idPrefix = idPrefix;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"")
                .append(FONT_FAMILY).append("\">\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Colour c, Pen pen) {
        b.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append('"');
        stroke(c, pen);
        b.append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, Colour c, Pen pen) {
        b.append("<polyline points=\"").append(points(xs, ys, n)).append("\" fill=\"none\"");
        stroke(c, pen);
        b.append(" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int n, Colour c) {
        b.append("<polygon points=\"").append(points(xs, ys, n)).append('"');
        fill(c);
        b.append("/>\n");
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Colour c) {
        rect(x, y, w, h);
        fill(c);
        b.append("/>\n");
    }

    @Override
    public void strokeRect(double x, double y, double w, double h, Colour c, Pen pen) {
        rect(x, y, w, h);
        b.append(" fill=\"none\"");
        stroke(c, pen);
        b.append("/>\n");
    }

    @Override
    public void fillCircle(double cx, double cy, double r, Colour c) {
        b.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r)).append('"');
        fill(c);
        b.append("/>\n");
    }

    @Override
    public void text(String s, double x, double y, TextStyle f, Colour c, Anchor a, boolean vertical) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(f.size())).append('"');
        if (f.bold()) b.append(" font-weight=\"bold\"");
        if (f.italic()) b.append(" font-style=\"italic\"");
        if (a != Anchor.START) b.append(" text-anchor=\"").append(a == Anchor.MIDDLE ? "middle" : "end").append('"');
        if (vertical) b.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
        fill(c);
        b.append('>').append(escape(s)).append("</text>\n");
    }

    @Override
    public void begin(String role, double dx, double dy, double[] clip) {
        String clipRef = null;
        if (clip != null) {
            clipRef = idPrefix + "-clip" + clips++;
            b.append("<clipPath id=\"").append(clipRef).append("\">");
            rect(clip[0], clip[1], clip[2], clip[3]);
            b.append("/></clipPath>\n");
        }
        b.append("<g class=\"").append(escape(role)).append('"');
        if (dx != 0 || dy != 0) b.append(" transform=\"translate(").append(n(dx)).append(' ').append(n(dy)).append(")\"");
        if (clipRef != null) b.append(" clip-path=\"url(#").append(clipRef).append(")\"");
        b.append(">\n");
        open.push(role);
    }

    @Override
    public void end() {
        if (open.isEmpty()) throw new IllegalStateException("end() without begin()");
        open.pop();
        b.append("</g>\n");
    }

    /** The finished document. */
    public String finish() {
        if (!open.isEmpty()) throw new IllegalStateException("unclosed group '" + open.peek() + "'");
        return b + "</svg>\n";
    }

    private void rect(double x, double y, double w, double h) {
        b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(Math.max(0, w)))
                .append("\" height=\"").append(n(Math.max(0, h))).append('"');
    }

    private void stroke(Colour c, Pen pen) {
        b.append(" stroke=\"").append(c.hex()).append("\" stroke-width=\"").append(n(pen.width())).append('"');
        if (c.opacity() < 1) b.append(" stroke-opacity=\"").append(n(c.opacity())).append('"');
        if (pen.dashed()) {
            b.append(" stroke-dasharray=\"");
            double[] d = pen.dash();
            for (int i = 0; i < d.length; i++) b.append(i == 0 ? "" : " ").append(n(d[i]));
            b.append('"');
        }
    }

    private void fill(Colour c) {
        b.append(" fill=\"").append(c.hex()).append('"');
        if (c.opacity() < 1) b.append(" fill-opacity=\"").append(n(c.opacity())).append('"');
    }

    private static String points(double[] xs, double[] ys, int n) {
        StringBuilder p = new StringBuilder(n * 14);
        for (int i = 0; i < n; i++) p.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        return p.toString();
    }

    /** Two decimals, no trailing zeros: enough for pixels, and the output stays small and deterministic. */
    static String n(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("non-finite SVG coordinate " + v);
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }

    /** XML text and attribute escaping. */
    public static String escape(String s) {
        StringBuilder o = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> o.append(c);
            }
        }
        return o.toString();
    }
}
