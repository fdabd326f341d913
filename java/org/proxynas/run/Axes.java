package org.proxynas.run;

import java.awt.Graphics2D;
import java.awt.Rectangle;

/** Grid, axis lines, ticks and axis labels of an x/y plot area. */
final class Axes {
    private Axes() {}

    /** The plot rectangle left after margins for tick labels and axis titles. */
    static Rectangle plotArea(int width, int height, int top, int rightMargin) {
        int left = 78, bottom = height - 54;
        return new Rectangle(left, top, Math.max(10, width - left - rightMargin), Math.max(10, bottom - top));
    }

    static void draw(Graphics2D g, Rectangle p, Scale xs, Scale ys, String xLabel, String yLabel) {
        g.setFont(ChartStyle.SMALL);
        g.setStroke(ChartStyle.THIN);
        double x0 = p.x, x1 = p.x + p.width, y0 = p.y + p.height, y1 = p.y;
        for (double t : ys.ticks()) {
            int y = (int) Math.round(ys.map(t, y0, y1));
            g.setColor(ChartStyle.GRID);
            g.drawLine(p.x, y, p.x + p.width, y);
            g.setColor(ChartStyle.AXIS);
            g.drawLine(p.x - 4, y, p.x, y);
            ChartStyle.drawRight(g, ChartStyle.format(t, ys.step()), p.x - 7, y);
        }
        for (double t : xs.ticks()) {
            int x = (int) Math.round(xs.map(t, x0, x1));
            g.setColor(ChartStyle.GRID);
            g.drawLine(x, p.y, x, p.y + p.height);
            g.setColor(ChartStyle.AXIS);
            g.drawLine(x, p.y + p.height, x, p.y + p.height + 4);
            ChartStyle.drawCentered(g, ChartStyle.format(t, xs.step()), x, p.y + p.height + 14);
        }
        g.setColor(ChartStyle.AXIS);
        g.drawRect(p.x, p.y, p.width, p.height);
        g.setFont(ChartStyle.LABEL);
        g.setColor(ChartStyle.TEXT);
        if (xLabel != null && !xLabel.isEmpty()) ChartStyle.drawCentered(g, xLabel, p.x + p.width / 2.0, p.y + p.height + 36);
        if (yLabel != null && !yLabel.isEmpty()) ChartStyle.drawVertical(g, yLabel, 18, p.y + p.height / 2.0);
    }
}
