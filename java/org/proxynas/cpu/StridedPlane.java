package org.proxynas.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-2 depthwise convolution of single planes through four zero-padded phase planes: the fast path of
 * {@link CpuConv}'s forward at stride 2, as {@link PaddedPlane} is at stride 1.
 *
 * <p>The padded input (hp x wp, hp = h + 2*pad) is split by row and column parity into four planes of hq x wq
 * (hq = ceil(hp/2), wq = ceil(wp/2)): P[a][b][r][c] = padded[2r + a][2c + b]. Output (i, j) under tap (ki, kj) reads
 * padded[2i + ki*d][2j + kj*d] = P[ki*d % 2][kj*d % 2][i + ki*d/2][j + kj*d/2], so for a fixed tap consecutive outputs
 * read consecutive floats and the whole output is one flat loop over t = i*wq + j with one offset per tap. Columns
 * j &ge; wo of the flat output are garbage; {@link #store} drops them.
 *
 * <p>Each output sums its taps in tap order from zero, one multiply and one add per tap (not fused): the operations,
 * in the order, of the window loop this replaced, so results did not change bit for bit; a tap over the padding adds
 * a*0 = &plusmn;0, which changes no sum that starts from +0.
 */
final class StridedPlane {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    final int k, d, pad, h, w, ho, wo, len;
    private final int wq, phase, size;
    private final int[] offsets;

    StridedPlane(int k, int dilation, int pad, int h, int w) {
        this.k = k;
        this.d = dilation;
        this.pad = pad;
        this.h = h;
        this.w = w;
        int hp = h + 2 * pad, wp = w + 2 * pad;
        this.ho = (hp - (k - 1) * dilation - 1) / 2 + 1;
        this.wo = (wp - (k - 1) * dilation - 1) / 2 + 1;
        this.wq = (wp + 1) / 2;
        this.phase = (hp + 1) / 2 * wq;
        this.len = ho * wq;
        this.offsets = new int[k * k];
        int last = 0;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                int r = ki * dilation, c = kj * dilation;
                offsets[ki * k + kj] = ((r & 1) * 2 + (c & 1)) * phase + (r >> 1) * wq + (c >> 1);
                last = Math.max(last, offsets[ki * k + kj]);
            }
        }
        // every read xq[t + offset] with t < len must fall inside the buffer (garbage columns may run past a plane)
        this.size = Math.max(4 * phase, len + last);
    }

    /** The buffers of one task: the phase planes (their padding written once, at creation) and the flat output. */
    final class Scratch {
        final float[] xq = new float[size];
        final float[] out = new float[len];
    }

    Scratch newScratch() { return new Scratch(); }

    /** Scatters the h x w plane at src[so] into the interior of the phase planes. */
    void load(float[] src, int so, Scratch s) {
        for (int i = 0; i < h; i++) {
            int pr = i + pad, row = so + i * w;
            int base = (pr & 1) * 2 * phase + (pr >> 1) * wq;
            for (int j = 0; j < w; j++) {
                int pc = j + pad;
                s.xq[base + (pc & 1) * phase + (pc >> 1)] = src[row + j];
            }
        }
    }

    /** out[t] = sum over taps, in tap order, of xq[t + offset(tap)] * wt[w0 + tap], for t &lt; len. */
    void convolve(Scratch s, float[] wt, int w0) {
        float[] out = s.out, xq = s.xq;
        int taps = k * k, t = 0;
        for (; t + L <= len; t += L) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int tap = 0; tap < taps; tap++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, xq, t + offsets[tap]).mul(wt[w0 + tap]));
            }
            acc.intoArray(out, t);
        }
        for (; t < len; t++) {
            float acc = 0f;
            for (int tap = 0; tap < taps; tap++) acc += xq[t + offsets[tap]] * wt[w0 + tap];
            out[t] = acc;
        }
    }

    /** dst[dOff + i*wo + j] = out[i*wq + j] for the valid columns j &lt; wo. */
    void store(Scratch s, float[] dst, int dOff) {
        for (int i = 0; i < ho; i++) System.arraycopy(s.out, i * wq, dst, dOff + i * wo, wo);
    }
}
