package org.proxynas.chart;

/** How a line is stroked: width in pixels and an optional dash pattern (null for solid). */
public record Pen(double width, double[] dash) {
    public static final Pen THIN = new Pen(1, null);
    public static final Pen LINE = new Pen(2, null);
    public static final Pen FINE_LINE = new Pen(1.3, null);
    public static final Pen DASHED = new Pen(1.2, new double[] {5, 4});
    public static final Pen OUTLINE = new Pen(2.5, null);

    public Pen {
        dash = dash == null ? null : dash.clone();
    }

    public boolean dashed() { return dash != null && dash.length > 0; }
}
