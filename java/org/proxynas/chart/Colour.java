package org.proxynas.chart;

import java.util.Locale;

/** An sRGB colour with an opacity in [0, 1]; plain data, so charts need no java.desktop. */
public record Colour(int rgb, double opacity) {
    public Colour {
        rgb &= 0xFFFFFF;
        if (!(opacity >= 0 && opacity <= 1)) throw new IllegalArgumentException("opacity must be in [0, 1], got " + opacity);
    }

    /** An opaque colour from 0xRRGGBB. */
    public static Colour of(int rgb) { return new Colour(rgb, 1); }

    /** The same colour at another opacity. */
    public Colour withOpacity(double o) { return new Colour(rgb, o); }

    public int red() { return rgb >> 16 & 0xFF; }

    public int green() { return rgb >> 8 & 0xFF; }

    public int blue() { return rgb & 0xFF; }

    /** "#rrggbb" (without the opacity) for SVG and DOT. */
    public String hex() { return String.format(Locale.ROOT, "#%06x", rgb); }

    /** Perceived brightness in [0, 1], to choose black or white text on a fill. */
    public double luminance() { return (0.299 * red() + 0.587 * green() + 0.114 * blue()) / 255.0; }

    /** The colour a fraction t in [0, 1] of the way from a to b (opaque). */
    public static Colour mix(Colour a, Colour b, double t) {
        return of((int) Math.round(a.red() + t * (b.red() - a.red())) << 16
                | (int) Math.round(a.green() + t * (b.green() - a.green())) << 8
                | (int) Math.round(a.blue() + t * (b.blue() - a.blue())));
    }
}
