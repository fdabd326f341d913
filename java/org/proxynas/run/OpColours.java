package org.proxynas.run;

import org.proxynas.space.Primitive;

import java.awt.Color;

/** One colour per DARTS primitive, shared by the op-count chart and the cell diagrams. */
public final class OpColours {
    private OpColours() {}

    // RGB values rather than Colors: the cell diagrams (SVG, DOT text) need only hex(), which then runs without
    // java.desktop (the GPU bundle's runtime leaves it out).
    private static final int[] RGB = {
        0xB0B0B0, // none
        0x1f77b4, // max_pool_3x3
        0x17becf, // avg_pool_3x3
        0x2ca02c, // skip_connect
        0xff7f0e, // sep_conv_3x3
        0xd62728, // sep_conv_5x5
        0x9467bd, // dil_conv_3x3
        0x8c564b, // dil_conv_5x5
    };

    public static Color of(Primitive p) { return new Color(RGB[p.index()]); }

    /** All eight, in primitive order. */
    public static Color[] all() {
        Color[] all = new Color[RGB.length];
        for (int i = 0; i < RGB.length; i++) all[i] = new Color(RGB[i]);
        return all;
    }

    /** "#rrggbb" for SVG and DOT. */
    public static String hex(Primitive p) { return String.format("#%06x", RGB[p.index()]); }
}
