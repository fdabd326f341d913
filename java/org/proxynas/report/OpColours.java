package org.proxynas.report;

import org.proxynas.space.Primitive;

import org.proxynas.chart.Colour;

/** One colour per DARTS primitive, shared by the op-count chart and the cell diagrams. */
public final class OpColours {
    private OpColours() {}

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

    public static Colour of(Primitive p) { return Colour.of(RGB[p.index()]); }

    /** All eight, in primitive order. */
    public static Colour[] all() {
        Colour[] all = new Colour[RGB.length];
        for (int i = 0; i < RGB.length; i++) all[i] = Colour.of(RGB[i]);
        return all;
    }

    /** "#rrggbb" for SVG and DOT. */
    public static String hex(Primitive p) { return of(p).hex(); }
}
