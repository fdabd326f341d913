package org.proxynas.cpu;

import java.util.Arrays;

/**
 * Stride-1 depthwise convolution of single planes through a zero-padded copy: the fast path of {@link CpuConv}.
 *
 * <p>The h x w input plane is copied into the interior of a zero-bordered buffer xp with rows of length
 * wp = w + 2*pad. Output pixel (i, j) then reads xp[(i + ki*d)*wp + j + kj*d] for tap (ki, kj) with no bounds
 * to check, so the whole output is one flat loop over t = i*wp + j, t &lt; len = ho*wp. Columns j &ge; wo of
 * the flat output read across the row end; they are garbage and {@link #store} drops them.
 *
 * <p>Each tap's view of xp, {@code xp[t + offset(tap)]}, is first copied into a scratch row indexed from 0 (see
 * {@link ConvRows} for why), then one kernel row of taps is applied per pass over the output.
 *
 * <p>The input gradient of a stride-1 conv is the same operation on dy, with the kernel flipped and padding
 * (k-1)*d - pad; {@link CpuConv} uses this class for both.
 */
final class PaddedPlane {
    final int k, d, pad, h, w, ho, wo, wp, len, size;
    private final int[] offsets;

    PaddedPlane(int k, int dilation, int pad, int h, int w) {
        this.k = k;
        this.d = dilation;
        this.pad = pad;
        this.h = h;
        this.w = w;
        this.ho = h + 2 * pad - (k - 1) * dilation;
        this.wo = w + 2 * pad - (k - 1) * dilation;
        this.wp = w + 2 * pad;
        this.len = ho * wp;
        this.offsets = new int[k * k];
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) offsets[ki * k + kj] = ki * dilation * wp + kj * dilation;
        }
        // every read xp[t + offset] with t < len must fall inside the buffer
        this.size = Math.max((h + 2 * pad) * wp, len + offsets[k * k - 1]);
    }

    /**
     * The buffers of one task: the padded input (zero border, written once at creation and never again, so it
     * is reused for every plane), k shifted views of it, and the flat output.
     */
    final class Scratch {
        final float[] xp = new float[size];
        final float[][] view = new float[k][len];
        final float[] out = new float[len];
    }

    Scratch newScratch() { return new Scratch(); }

    /** A scratch whose padding reads as border (minus infinity for max pooling) instead of 0. */
    Scratch newScratch(float border) {
        Scratch s = new Scratch();
        Arrays.fill(s.xp, border);
        return s;
    }

    /** Copies the h x w plane at src[so] into the interior of the padded input. */
    void load(float[] src, int so, Scratch s) {
        for (int i = 0; i < h; i++) System.arraycopy(src, so + i * w, s.xp, (i + pad) * wp + pad, w);
    }

    /** Copies the ho x wo plane at src[so] into the flat layout (row stride wp) of out; other columns keep their values. */
    void loadOutput(float[] src, int so, float[] out) {
        for (int i = 0; i < ho; i++) System.arraycopy(src, so + i * wo, out, i * wp, wo);
    }

    /** dst[dOff + i*wo + j] = out[i*wp + j] for the valid columns j &lt; wo. */
    void store(Scratch s, float[] dst, int dOff) {
        for (int i = 0; i < ho; i++) System.arraycopy(s.out, i * wp, dst, dOff + i * wo, wo);
    }

    /**
     * out[t] (+)= sum over taps of wt[w0 + tap] * xp[t + offset(tap)] for t &lt; len; with addToOut the sum is
     * added to what out holds (see {@link #loadOutput}).
     */
    void convolve(Scratch s, float[] wt, int w0, boolean addToOut) {
        float[] out = s.out;
        float[][] v = s.view;
        if (k != 3 && k != 5 && !addToOut) Arrays.fill(out, 0, len, 0f);
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) System.arraycopy(s.xp, offsets[ki * k + kj], v[kj], 0, len);
            int r = w0 + ki * k;
            boolean acc = addToOut || ki > 0;
            if (k == 3) {
                ConvRows.pass3(out, wt[r], v[0], wt[r + 1], v[1], wt[r + 2], v[2], len, acc);
            } else if (k == 5) {
                ConvRows.pass5(out, wt[r], v[0], wt[r + 1], v[1], wt[r + 2], v[2], wt[r + 3], v[3], wt[r + 4], v[4], len, acc);
            } else {
                for (int kj = 0; kj < k; kj++) ConvRows.axpy(out, wt[r + kj], v[kj], len);
            }
        }
    }

    /** out[t] = max over taps of xp[t + offset(tap)] (NaN wins, as Math.max): the max pool of the plane. */
    void maxPool(Scratch s) {
        float[] out = s.out;
        float[][] v = s.view;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) System.arraycopy(s.xp, offsets[ki * k + kj], v[kj], 0, len);
            for (int kj = 0; kj < k; kj++) {
                if (ki == 0 && kj == 0) System.arraycopy(v[0], 0, out, 0, len);
                else ConvRows.max(out, v[kj], len);
            }
        }
    }

    /**
     * win[t] = the first tap (row-major index ki*k + kj) of output t's window whose value equals out[t], the
     * maximum {@link #maxPool} left there: PyTorch's winner of a window whose maximum is neither NaN nor minus
     * infinity. Taps are scanned last to first so that the first match is the one that stays.
     */
    void firstMaxTaps(Scratch s, float[] win) {
        Arrays.fill(win, 0, len, 0f);
        for (int tap = k * k - 1; tap >= 0; tap--) {
            System.arraycopy(s.xp, offsets[tap], s.view[0], 0, len);
            ConvRows.selectEqual(win, s.out, s.view[0], tap, len);
        }
    }

    /** The padded-layout offset of every tap, row-major: tap (ki, kj) reads xp[t + offsets[ki*k + kj]]. */
    int[] offsets() { return offsets.clone(); }

    /** The padded-layout index of input pixel (r, c). */
    int paddedIndex(int r, int c) { return (r + pad) * wp + c + pad; }

    /** dst[dOff + r*w + c] (+)= padded[(r + pad)*wp + c + pad]: the interior of a padded-layout plane. */
    void storeInterior(float[] padded, float[] dst, int dOff, boolean accumulate) {
        for (int r = 0; r < h; r++) {
            int src = (r + pad) * wp + pad;
            if (accumulate) ConvRows.add(dst, dOff + r * w, padded, src, w);
            else System.arraycopy(padded, src, dst, dOff + r * w, w);
        }
    }

    /** acc[tap][t] += dyq[t] * xp[t + offset(tap)]: the filter gradient, summed over t later by {@link #reduce}. */
    void accumulateFilter(Scratch s, float[] dyq, float[][] acc) {
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                System.arraycopy(s.xp, offsets[ki * k + kj], s.view[kj], 0, len);
                ConvRows.mulAdd(acc[ki * k + kj], dyq, s.view[kj], len);
            }
        }
    }

    /** g[go + tap] += sum_t acc[tap][t], then clears acc. */
    void reduce(float[][] acc, float[] g, int go) {
        for (int tap = 0; tap < k * k; tap++) {
            g[go + tap] += ConvRows.sum(acc[tap], 0, len);
            Arrays.fill(acc[tap], 0f);
        }
    }
}
