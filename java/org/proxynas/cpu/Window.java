package org.proxynas.cpu;

import org.proxynas.tensor.ConvGeom;

/**
 * The taps of a sliding window along one axis. Tap t reads input index {@code stride * o + off[t]} for output
 * index o; {@code [lo[t], hi[t])} is the range of outputs for which that index lies inside the input. Looping a
 * tap over exactly that range removes every bounds check (and every padding read) from the inner loops.
 */
record Window(int stride, int[] off, int[] lo, int[] hi) {

    /** The taps of g along an axis with {@code in} input and {@code out} output positions. */
    static Window of(ConvGeom g, int in, int out) {
        int k = g.kernel(), s = g.stride();
        int[] off = new int[k], lo = new int[k], hi = new int[k];
        for (int t = 0; t < k; t++) {
            int o = t * g.dilation() - g.padding();
            off[t] = o;
            // 0 <= s*i + o  <=>  i >= ceil(-o / s);   s*i + o <= in - 1  <=>  i <= floor((in - 1 - o) / s)
            lo[t] = Math.min(out, Math.max(0, Math.ceilDiv(-o, s)));
            hi[t] = Math.max(lo[t], Math.min(out, Math.floorDiv(in - 1 - o, s) + 1));
        }
        return new Window(s, off, lo, hi);
    }

    int taps() { return off.length; }

    /** Input index that tap t reads for output index o (may be outside the input). */
    int input(int t, int o) { return stride * o + off[t]; }

    /** How many taps of output index o fall inside the input. */
    int inside(int o) {
        int n = 0;
        for (int t = 0; t < off.length; t++) if (o >= lo[t] && o < hi[t]) n++;
        return n;
    }
}
