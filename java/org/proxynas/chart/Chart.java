package org.proxynas.chart;

import java.util.List;

/**
 * Base of the charts: a white canvas with a title, drawn on any {@link Canvas}; SVG always, PNG where java.desktop
 * exists ({@link #pngAvailable()}). A chart with nothing drawable (no series, only NaN) shows "no data" instead of
 * failing, so a partial run still gets a picture. Callers write the bytes (the run directory writes atomically).
 */
public abstract class Chart {
    /** The default size of the report's charts. */
    public static final int WIDTH = 900, HEIGHT = 500;

    protected final String title;

    protected Chart(String title) { this.title = title == null ? "" : title; }

    public String title() { return title; }

    /** True when there is at least one finite value to draw. */
    public abstract boolean hasData();

    /** Draws the chart body below the title; {@code top} is the first free row. */
    protected abstract void drawBody(Canvas c, double width, double height, double top);

    /** The first free row below the title. */
    static double bodyTop(String title) {
        return title.isEmpty() ? 10 : 10 + ChartStyle.TITLE.lineHeight() + 4;
    }

    /** Draws the whole chart (background, title, body or "no data") at the given size (at least 200x120). */
    public final void draw(Canvas c, int width, int height) {
        double w = Math.max(200, width), h = Math.max(120, height);
        c.fillRect(0, 0, w, h, ChartStyle.WHITE);
        if (!title.isEmpty()) {
            c.begin("title");
            c.text(ChartStyle.fit(title, ChartStyle.TITLE, w - 20), w / 2, 10 + ChartStyle.TITLE.size(), ChartStyle.TITLE,
                    ChartStyle.TEXT, Canvas.Anchor.MIDDLE, false);
            c.end();
        }
        double top = bodyTop(title);
        if (hasData()) {
            drawBody(c, w, h, top);
        } else {
            ChartStyle.centred(c, "no data", w / 2, (top + h) / 2, TextStyle.plain(16).italicised(), ChartStyle.MUTED);
        }
    }

    /** A self-contained SVG document at the given size; {@code idPrefix} keeps its ids unique in an HTML page. */
    public String svg(int width, int height, String idPrefix) {
        SvgCanvas c = new SvgCanvas(Math.max(200, width), Math.max(120, height), idPrefix);
        draw(c, width, height);
        return c.finish();
    }

    /** SVG at the default size ({@value #WIDTH}x{@value #HEIGHT}). */
    public String svg(String idPrefix) { return svg(WIDTH, HEIGHT, idPrefix); }

    /** True when this Java runtime has java.desktop (AWT, ImageIO), which PNG output needs. */
    public static boolean pngAvailable() { return ModuleLayer.boot().findModule("java.desktop").isPresent(); }

    /** PNG bytes at the given size; needs java.desktop ({@link #pngAvailable()}). */
    public byte[] png(int width, int height) {
        requirePng();
        return Png.encode(Png.render(List.of(this), Math.max(200, width), Math.max(120, height)));
    }

    /** Several charts one above the other, each {@code width x height}, as one SVG document. */
    public static String svgStack(List<? extends Chart> panels, int width, int height, String idPrefix) {
        SvgCanvas c = new SvgCanvas(width, height * Math.max(1, panels.size()), idPrefix);
        for (int i = 0; i < panels.size(); i++) {
            c.begin("panel", 0, (double) i * height, null);
            panels.get(i).draw(c, width, height);
            c.end();
        }
        return c.finish();
    }

    /** Several charts one above the other as one PNG; needs java.desktop. */
    public static byte[] pngStack(List<? extends Chart> panels, int width, int height) {
        requirePng();
        return Png.encode(Png.render(panels, width, height));
    }

    static void requirePng() {
        if (!pngAvailable()) {
            throw new UnsupportedOperationException("PNG charts need the java.desktop module, which this Java runtime "
                    + "does not have (the GPU bundle's); the SVG charts need nothing");
        }
    }
}
