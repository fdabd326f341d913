package org.proxynas.run;

import org.proxynas.space.Primitive;

import java.awt.Color;

/** One colour per DARTS primitive, shared by the op-count chart and the cell diagrams. */
public final class OpColours {
    private OpColours() {}

    private static final Color[] COLOURS = {
        new Color(0xB0B0B0), // none
        new Color(0x1f77b4), // max_pool_3x3
        new Color(0x17becf), // avg_pool_3x3
        new Color(0x2ca02c), // skip_connect
        new Color(0xff7f0e), // sep_conv_3x3
        new Color(0xd62728), // sep_conv_5x5
        new Color(0x9467bd), // dil_conv_3x3
        new Color(0x8c564b), // dil_conv_5x5
    };

    public static Color of(Primitive p) { return COLOURS[p.index()]; }

    /** All eight, in primitive order. */
    public static Color[] all() { return COLOURS.clone(); }

    /** "#rrggbb" for SVG and DOT. */
    public static String hex(Primitive p) {
        Color c = of(p);
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
