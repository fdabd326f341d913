package org.proxynas.chart;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * PNG output through Java2D, the one class of the chart module that needs java.desktop. Callers check
 * {@link Chart#pngAvailable()} first (not a method here: loading this class at all needs java.desktop, which the
 * GPU bundle's runtime leaves out; its charts are SVG only).
 */
public final class Png {
    private Png() {}

    /** Draws the charts one above the other, each {@code width x height}, into one image. */
    public static BufferedImage render(java.util.List<? extends Chart> panels, int width, int height) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width, height * Math.max(1, panels.size()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            Java2dCanvas c = new Java2dCanvas(g);
            for (int i = 0; i < panels.size(); i++) {
                c.begin("panel", 0, (double) i * height, null);
                panels.get(i).draw(c, width, height);
                c.end();
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** PNG bytes of an image. */
    public static byte[] encode(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer available");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Java2dCanvas implements Canvas {
        private record State(AffineTransform transform, Shape clip) {}

        private final Graphics2D g;
        private final Deque<State> saved = new ArrayDeque<>();

        Java2dCanvas(Graphics2D g) { this.g = g; }

        private static Color awt(Colour c) {
            return new Color(c.red(), c.green(), c.blue(), (int) Math.round(c.opacity() * 255));
        }

        private static BasicStroke stroke(Pen p) {
            if (!p.dashed()) return new BasicStroke((float) p.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            float[] d = new float[p.dash().length];
            for (int i = 0; i < d.length; i++) d[i] = (float) p.dash()[i];
            return new BasicStroke((float) p.width(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, d, 0f);
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Colour c, Pen pen) {
            g.setColor(awt(c));
            g.setStroke(stroke(pen));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        @Override
        public void polyline(double[] xs, double[] ys, int n, Colour c, Pen pen) {
            g.setColor(awt(c));
            g.setStroke(stroke(pen));
            g.draw(path(xs, ys, n, false));
        }

        @Override
        public void fillPolygon(double[] xs, double[] ys, int n, Colour c) {
            g.setColor(awt(c));
            g.fill(path(xs, ys, n, true));
        }

        private static Path2D.Double path(double[] xs, double[] ys, int n, boolean close) {
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < n; i++) {
                if (i == 0) p.moveTo(xs[i], ys[i]);
                else p.lineTo(xs[i], ys[i]);
            }
            if (close) p.closePath();
            return p;
        }

        @Override
        public void fillRect(double x, double y, double w, double h, Colour c) {
            g.setColor(awt(c));
            g.fill(new Rectangle2D.Double(x, y, w, h));
        }

        @Override
        public void strokeRect(double x, double y, double w, double h, Colour c, Pen pen) {
            g.setColor(awt(c));
            g.setStroke(stroke(pen));
            g.draw(new Rectangle2D.Double(x, y, w, h));
        }

        @Override
        public void fillCircle(double cx, double cy, double r, Colour c) {
            g.setColor(awt(c));
            g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        }

        @Override
        public void text(String s, double x, double y, TextStyle f, Colour c, Anchor a, boolean vertical) {
            int style = (f.bold() ? Font.BOLD : 0) | (f.italic() ? Font.ITALIC : 0);
            g.setFont(new Font(Font.SANS_SERIF, style, 12).deriveFont((float) f.size()));
            g.setColor(awt(c));
            FontMetrics fm = g.getFontMetrics();
            double w = fm.stringWidth(s), shift = a == Anchor.START ? 0 : a == Anchor.MIDDLE ? w / 2 : w;
            if (!vertical) {
                g.drawString(s, (float) (x - shift), (float) y);
                return;
            }
            AffineTransform old = g.getTransform();
            g.translate(x, y);
            g.rotate(-Math.PI / 2);
            g.drawString(s, (float) -shift, 0f);
            g.setTransform(old);
        }

        @Override
        public void begin(String role, double dx, double dy, double[] clip) {
            saved.push(new State(g.getTransform(), g.getClip()));
            g.translate(dx, dy);
            if (clip != null) g.clip(new Rectangle2D.Double(clip[0], clip[1], clip[2], clip[3]));
        }

        @Override
        public void end() {
            State s = saved.pop();
            g.setTransform(s.transform());
            g.setClip(s.clip());
        }
    }
}
