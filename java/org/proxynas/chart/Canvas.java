package org.proxynas.chart;

/**
 * The drawing surface every chart draws on: SVG text ({@link SvgCanvas}) always, Java2D pixels ({@link Png}) where
 * java.desktop exists. Coordinates are pixels from the top left; text is placed by its baseline.
 */
public interface Canvas {
    /** Horizontal alignment of text at its anchor point. */
    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, Colour c, Pen pen);

    /** An open path through the first n points. */
    void polyline(double[] xs, double[] ys, int n, Colour c, Pen pen);

    /** A filled closed polygon through the first n points. */
    void fillPolygon(double[] xs, double[] ys, int n, Colour c);

    void fillRect(double x, double y, double w, double h, Colour c);

    void strokeRect(double x, double y, double w, double h, Colour c, Pen pen);

    void fillCircle(double cx, double cy, double r, Colour c);

    /** Text with its baseline at y; {@code vertical} rotates it 90 degrees counter-clockwise about (x, y). */
    void text(String s, double x, double y, TextStyle f, Colour c, Anchor a, boolean vertical);

    /** Starts a group named {@code role} (an SVG class: "series", "tick", ...), moved by (dx, dy) and clipped to
     *  the rectangle (in the group's coordinates) when {@code clip} is not null. */
    void begin(String role, double dx, double dy, double[] clip);

    default void begin(String role) { begin(role, 0, 0, null); }

    void end();
}
