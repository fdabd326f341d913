package org.proxynas.cpu;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 depthwise convolution of single planes through a zero-padded copy: the fast path of {@link CpuConv}.
 *
 * <p>The h x w input plane is copied into the interior of a zero-bordered buffer xp with rows of length
 * wp = w + 2*pad. Output pixel (i, j) then reads xp[(i + ki*d)*wp + j + kj*d] for tap (ki, kj) with no bounds
 * to check, so the whole output is one flat loop over t = i*wp + j, t &lt; len = ho*wp. Columns j &ge; wo of
 * the flat output read across the row end; they are garbage and {@link #store} drops them.
 *
 * <p>The convolution and its filter gradient read each tap's view of xp, {@code xp[t + offset(tap)]}, directly with
 * the Vector API: a vector of outputs sums all its taps in registers, one fused multiply-add per tap in tap
 * order (no copies, one load per multiply-add), and the scalar tail does the same with {@link Math#fma}, so
 * every output is the same chain wherever it falls. The max-pool passes copy each tap's view into a scratch row
 * indexed from 0, the form in which C2 vectorises plain loops (see {@link ConvRows}).
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
     * The buffers of one task: the padded input (its border written once at creation and never again, so it is
     * reused for every plane), the flat output, and for max pooling only the row maxima and a staged tap view.
     */
    final class Scratch {
        final float[] xp = new float[size];
        final float[] out = new float[len];
        final float[] rowMax, stage;   // max pool: each row's maximum over k columns; one tap's view, indexed from 0

        private Scratch(boolean maxPool) {
            rowMax = maxPool ? new float[rowMaxLength()] : null;
            stage = maxPool ? new float[rowMaxLength()] : null;
        }
    }

    /** A scratch for the convolutions and the average pool: zero padding. */
    Scratch newScratch() { return new Scratch(false); }

    /** A scratch for {@link #maxPool} and {@link #firstMaxTaps}: the padding reads as minus infinity. */
    Scratch newMaxPoolScratch() {
        Scratch s = new Scratch(true);
        Arrays.fill(s.xp, Float.NEGATIVE_INFINITY);
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

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /**
     * out[t] (+)= sum over taps of wt[w0 + tap] * xp[t + offset(tap)] for t &lt; len, taps in row-major order;
     * with addToOut the sum starts from what out holds (see {@link #loadOutput}), otherwise from 0.
     */
    void convolve(Scratch s, float[] wt, int w0, boolean addToOut) {
        float[] out = s.out, xp = s.xp;
        int taps = k * k, t = 0;
        // four vectors at a time: four independent fma chains and one broadcast per tap for all four (a single chain
        // waits on each fma's latency); every output's own chain of operations is the one a single vector or the
        // scalar tail computes, so results do not depend on where an output falls
        for (; t + 4 * L <= len; t += 4 * L) {
            FloatVector a0 = addToOut ? FloatVector.fromArray(SPECIES, out, t) : FloatVector.zero(SPECIES);
            FloatVector a1 = addToOut ? FloatVector.fromArray(SPECIES, out, t + L) : FloatVector.zero(SPECIES);
            FloatVector a2 = addToOut ? FloatVector.fromArray(SPECIES, out, t + 2 * L) : FloatVector.zero(SPECIES);
            FloatVector a3 = addToOut ? FloatVector.fromArray(SPECIES, out, t + 3 * L) : FloatVector.zero(SPECIES);
            for (int tap = 0; tap < taps; tap++) {
                FloatVector w = FloatVector.broadcast(SPECIES, wt[w0 + tap]);
                int at = t + offsets[tap];
                a0 = FloatVector.fromArray(SPECIES, xp, at).fma(w, a0);
                a1 = FloatVector.fromArray(SPECIES, xp, at + L).fma(w, a1);
                a2 = FloatVector.fromArray(SPECIES, xp, at + 2 * L).fma(w, a2);
                a3 = FloatVector.fromArray(SPECIES, xp, at + 3 * L).fma(w, a3);
            }
            a0.intoArray(out, t);
            a1.intoArray(out, t + L);
            a2.intoArray(out, t + 2 * L);
            a3.intoArray(out, t + 3 * L);
        }
        for (; t + L <= len; t += L) {
            FloatVector acc = addToOut ? FloatVector.fromArray(SPECIES, out, t) : FloatVector.zero(SPECIES);
            for (int tap = 0; tap < taps; tap++) {
                acc = FloatVector.fromArray(SPECIES, xp, t + offsets[tap]).fma(FloatVector.broadcast(SPECIES, wt[w0 + tap]), acc);
            }
            acc.intoArray(out, t);
        }
        for (; t < len; t++) {
            float acc = addToOut ? out[t] : 0f;
            for (int tap = 0; tap < taps; tap++) acc = Math.fma(xp[t + offsets[tap]], wt[w0 + tap], acc);
            out[t] = acc;
        }
    }

    /**
     * out[t] = max over taps of xp[t + offset(tap)] (NaN wins, as Math.max): the max pool of the plane. Separable:
     * the maximum over each row's k columns first, then over k of those rows, 2(k-1) passes instead of k^2 - 1;
     * Math.max is commutative and associative (NaN and signed zeros included), so the order changes nothing.
     */
    void maxPool(Scratch s) {
        float[] rowMax = s.rowMax, stage = s.stage;
        int rows = rowMaxLength();
        System.arraycopy(s.xp, 0, rowMax, 0, rows);
        for (int kj = 1; kj < k; kj++) {
            System.arraycopy(s.xp, kj * d, stage, 0, rows);
            ConvRows.max(rowMax, stage, rows);
        }
        System.arraycopy(rowMax, 0, s.out, 0, len);
        for (int ki = 1; ki < k; ki++) {
            System.arraycopy(rowMax, ki * d * wp, stage, 0, len);
            ConvRows.max(s.out, stage, len);
        }
    }

    /** How many entries of the row maxima the column pass reads: len plus k-1 rows of the window. */
    private int rowMaxLength() { return len + (k - 1) * d * wp; }

    /**
     * win[t] = the first tap (row-major index ki*k + kj) of output t's window whose value equals out[t], the
     * maximum {@link #maxPool} left there: PyTorch's winner of a window whose maximum is neither NaN nor minus
     * infinity. Taps are scanned last to first so that the first match is the one that stays.
     */
    void firstMaxTaps(Scratch s, float[] win) {
        Arrays.fill(win, 0, len, 0f);
        for (int tap = k * k - 1; tap >= 0; tap--) {
            System.arraycopy(s.xp, offsets[tap], s.stage, 0, len);
            ConvRows.selectEqual(win, s.out, s.stage, tap, len);
        }
    }

    /** The padded-layout offset of every tap, row-major: tap (ki, kj) reads xp[t + offsets[ki*k + kj]]. */
    int[] offsets() { return offsets.clone(); }

    /** The padded-layout index of input pixel (r, c). */
    int paddedIndex(int r, int c) { return (r + pad) * wp + c + pad; }

    /** The plane index r*w + c of the interior pixel at padded-layout index i. */
    int interiorIndex(int i) { return (i / wp - pad) * w + i % wp - pad; }

    /** dst[dOff + r*w + c] (+)= padded[(r + pad)*wp + c + pad]: the interior of a padded-layout plane. */
    void storeInterior(float[] padded, float[] dst, int dOff, boolean accumulate) {
        for (int r = 0; r < h; r++) {
            int src = (r + pad) * wp + pad;
            if (accumulate) ConvRows.add(dst, dOff + r * w, padded, src, w);
            else System.arraycopy(padded, src, dst, dOff + r * w, w);
        }
    }

    /**
     * g[go + tap] += sum_t dyq[t] * xp[t + offset(tap)] for every tap: the filter gradient of one plane. Per
     * tap, one fma chain per lane over the full vectors, the lanes added in lane order (through lanes, scratch
     * of {@link #lanes()} floats), then the tail in order.
     */
    void accumulateFilter(Scratch s, float[] dyq, float[] g, int go, float[] lanes) {
        float[] xp = s.xp;
        int taps = k * k, tap = 0, full = len - len % L;
        // four taps at a time: four independent chains sharing each dy load (one chain waits on each fma's latency);
        // every tap's own chain is the one it would have alone
        for (; tap + 4 <= taps; tap += 4) {
            int o0 = offsets[tap], o1 = offsets[tap + 1], o2 = offsets[tap + 2], o3 = offsets[tap + 3];
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            for (int t = 0; t < full; t += L) {
                FloatVector dv = FloatVector.fromArray(SPECIES, dyq, t);
                a0 = dv.fma(FloatVector.fromArray(SPECIES, xp, t + o0), a0);
                a1 = dv.fma(FloatVector.fromArray(SPECIES, xp, t + o1), a1);
                a2 = dv.fma(FloatVector.fromArray(SPECIES, xp, t + o2), a2);
                a3 = dv.fma(FloatVector.fromArray(SPECIES, xp, t + o3), a3);
            }
            addTap(a0, dyq, xp, o0, full, g, go + tap, lanes);
            addTap(a1, dyq, xp, o1, full, g, go + tap + 1, lanes);
            addTap(a2, dyq, xp, o2, full, g, go + tap + 2, lanes);
            addTap(a3, dyq, xp, o3, full, g, go + tap + 3, lanes);
        }
        for (; tap < taps; tap++) {
            int off = offsets[tap];
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int t = 0; t < full; t += L) {
                acc = FloatVector.fromArray(SPECIES, dyq, t).fma(FloatVector.fromArray(SPECIES, xp, t + off), acc);
            }
            addTap(acc, dyq, xp, off, full, g, go + tap, lanes);
        }
    }

    /** g[at] += one tap's sum: the lanes of its vector chain in lane order, then the scalar tail from full on. */
    private void addTap(FloatVector acc, float[] dyq, float[] xp, int off, int full, float[] g, int at, float[] lanes) {
        acc.intoArray(lanes, 0);
        float sum = 0f;
        for (int l = 0; l < L; l++) sum += lanes[l];
        for (int t = full; t < len; t++) sum = Math.fma(dyq[t], xp[t + off], sum);
        g[at] += sum;
    }

    /** The number of float lanes of a vector: the size of the scratch {@link #accumulateFilter} needs. */
    static int lanes() { return L; }
}
