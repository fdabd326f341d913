package org.proxynas.chart;

/** Grid, frame, ticks, tick labels and axis titles of an x/y plot area. */
final class Axes {
    private Axes() {}

    static final double LEFT = 78, BOTTOM = 54;

    /** The plot area left after margins for tick labels and axis titles. */
    static Box plotArea(double width, double height, double top, double rightMargin) {
        double bottom = height - BOTTOM;
        return new Box(LEFT, top, Math.max(10, width - LEFT - rightMargin), Math.max(10, bottom - top));
    }

    static void draw(Canvas c, Box p, Scale xs, Scale ys, String xLabel, String yLabel) {
        c.begin("axes");
        for (double t : ys.ticks()) {
            double y = ys.map(t, p.bottom(), p.y());
            c.line(p.x(), y, p.right(), y, ChartStyle.GRID, Pen.THIN);
            c.line(p.x() - 4, y, p.x(), y, ChartStyle.AXIS, Pen.THIN);
        }
        for (double t : xs.ticks()) {
            double x = xs.map(t, p.x(), p.right());
            c.line(x, p.y(), x, p.bottom(), ChartStyle.GRID, Pen.THIN);
            c.line(x, p.bottom(), x, p.bottom() + 4, ChartStyle.AXIS, Pen.THIN);
        }
        c.strokeRect(p.x(), p.y(), p.width(), p.height(), ChartStyle.AXIS, Pen.THIN);
        c.end();
        c.begin("ticks");
        for (double t : ys.ticks()) {
            ChartStyle.rightAligned(c, ChartStyle.format(t, ys.step()), p.x() - 7, ys.map(t, p.bottom(), p.y()),
                    ChartStyle.SMALL, ChartStyle.TEXT);
        }
        for (double t : xs.ticks()) {
            ChartStyle.centred(c, ChartStyle.format(t, xs.step()), xs.map(t, p.x(), p.right()), p.bottom() + 14,
                    ChartStyle.SMALL, ChartStyle.TEXT);
        }
        c.end();
        c.begin("axis-titles");
        if (xLabel != null && !xLabel.isEmpty()) ChartStyle.centred(c, xLabel, p.centreX(), p.bottom() + 36, ChartStyle.LABEL, ChartStyle.TEXT);
        if (yLabel != null && !yLabel.isEmpty()) {
            c.text(yLabel, 18 + ChartStyle.LABEL.centreToBaseline(), p.centreY(), ChartStyle.LABEL, ChartStyle.TEXT,
                    Canvas.Anchor.MIDDLE, true);
        }
        c.end();
    }
}
