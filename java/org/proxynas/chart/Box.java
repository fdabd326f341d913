package org.proxynas.chart;

/** A rectangle in pixels: the plot area of a chart. */
public record Box(double x, double y, double width, double height) {
    public double right() { return x + width; }

    public double bottom() { return y + height; }

    public double centreX() { return x + width / 2; }

    public double centreY() { return y + height / 2; }

    /** As {x, y, width, height} for {@link Canvas#begin(String, double, double, double[])}. */
    double[] clip() { return new double[] {x, y, width, height}; }
}
