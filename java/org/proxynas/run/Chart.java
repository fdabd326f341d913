package org.proxynas.run;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Base of the Java2D charts: a white canvas with a title, rendered headless to PNG. A chart with nothing drawable
 * (no series, only NaN) shows "no data" instead of failing, so a partial run still gets a picture.
 */
public abstract class Chart {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** The default size of the report's charts. */
    public static final int WIDTH = 900, HEIGHT = 500;

    protected final String title;

    protected Chart(String title) { this.title = title == null ? "" : title; }

    public String title() { return title; }

    /** True when there is at least one finite value to draw. */
    public abstract boolean hasData();

    /** Draws the chart body below the title; {@code top} is the first free row. */
    protected abstract void draw(Graphics2D g, int width, int height, int top);

    /** Renders at the given size (at least 200x120). */
    public BufferedImage render(int width, int height) {
        int w = Math.max(200, width), h = Math.max(120, height);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            ChartStyle.setup(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            int top = drawTitle(g, w);
            if (hasData()) {
                draw(g, w, h, top);
            } else {
                g.setColor(ChartStyle.MUTED);
                g.setFont(ChartStyle.FONT.deriveFont(Font.ITALIC, 16f));
                ChartStyle.drawCentered(g, "no data", w / 2.0, (top + h) / 2.0);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** PNG bytes at the given size. */
    public byte[] png(int width, int height) {
        return encodePng(render(width, height));
    }

    /** Writes a PNG atomically. */
    public void writePng(Path file, int width, int height) {
        AtomicFiles.write(file, png(width, height));
    }

    /** Writes a PNG at the default size ({@value #WIDTH}x{@value #HEIGHT}) atomically. */
    public void writePng(Path file) { writePng(file, WIDTH, HEIGHT); }

    static byte[] encodePng(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer available");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int drawTitle(Graphics2D g, int w) {
        if (title.isEmpty()) return 10;
        g.setFont(ChartStyle.TITLE_FONT);
        g.setColor(ChartStyle.TEXT);
        String t = ChartStyle.fit(g, title, w - 20);
        int asc = g.getFontMetrics().getAscent();
        g.drawString(t, (float) ((w - g.getFontMetrics().stringWidth(t)) / 2.0), 10 + asc);
        return 10 + g.getFontMetrics().getHeight() + 4;
    }
}
