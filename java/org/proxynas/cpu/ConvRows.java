package org.proxynas.cpu;

import java.util.Arrays;

/**
 * Row kernels shared by the convolution, pooling and normalisation families.
 *
 * <p><b>What the JIT vectorises.</b> C2 (JDK 25) only vectorises a loop when it can prove that the stores and
 * loads of different iterations do not overlap. With a runtime offset in an index ({@code y[yo + t]}) it would
 * need an aliasing check at run time, which JDK 25 does not emit, so such loops run scalar; and two loads from
 * one array at nearby constant offsets ({@code x[t]}, {@code x[t + 1]}) vectorise poorly. The hot kernels
 * therefore come in a <em>staged</em> form: every array is indexed by the loop variable alone
 * ({@code out[t] += a * x[t]}), on scratch rows that the caller fills with {@link System#arraycopy} (which is
 * itself vectorised). On an AVX-512 machine this is several times faster than the offset form. The offset
 * forms below remain for short or strided rows, where vectorisation does not matter.
 *
 * <p>Reductions ({@link #dot}, {@link #sum}) keep independent partial sums that are combined in a fixed order,
 * so their results depend on the data alone.
 */
final class ConvRows {
    private ConvRows() {}

    /** Below this many outputs per row, {@link #gemmRow} and {@link #accumulateProducts} use dot products. */
    static final int SHORT_ROW = 16;

    // ---- staged rows: every array indexed from 0 by the loop variable (vectorised) ---------------------------

    /** out[t] += a * x[t]. */
    static void axpy(float[] out, float a, float[] x, int len) {
        for (int t = 0; t < len; t++) out[t] += a * x[t];
    }

    /** out[t] = max(out[t], x[t]) (NaN wins). */
    static void max(float[] out, float[] x, int len) {
        for (int t = 0; t < len; t++) out[t] = Math.max(out[t], x[t]);
    }

    /**
     * win[t] = tap where v[t] == max[t], else unchanged; branch-free so that it vectorises. For max[t] the
     * maximum of a set containing v[t] (so max - v &ge; 0): the indicator 1 - min(1, (max - v) * 1e30 * 1e30)
     * is exactly 1 for equal values and exactly 0 otherwise (the smallest positive difference, 1.4e-45, scales
     * past 1), and win + indicator * (tap - win) is exact for small integers. A NaN or infinite max gives
     * garbage, which the caller must not use.
     */
    static void selectEqual(float[] win, float[] max, float[] v, float tap, int len) {
        for (int t = 0; t < len; t++) {
            float hit = 1f - Math.min(1f, (max[t] - v[t]) * 1e30f * 1e30f);
            win[t] += hit * (tap - win[t]);
        }
    }

    /** out[t] /= d[t]. */
    static void divide(float[] out, float[] d, int len) {
        for (int t = 0; t < len; t++) out[t] /= d[t];
    }

    /** out[t] += a0*x0[t] + a1*x1[t] + a2*x2[t] + a3*x3[t]. */
    static void axpy4(float[] out, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
                      float[] x3, int len) {
        for (int t = 0; t < len; t++) out[t] += (a0 * x0[t] + a1 * x1[t]) + (a2 * x2[t] + a3 * x3[t]);
    }

    /**
     * The GEMM row on staged rows: out[t] (+)= sum_r coef[c0 + cs*r] * rows[r][t] for r &lt; count, t &lt; len.
     * Four rows per sweep over out (each sweep: four loads and one store of out per four multiply-adds).
     * Rows shorter than {@link #SHORT_ROW} use dot products instead.
     */
    static void gemmRow(float[] out, float[] coef, int c0, int cs, float[][] rows, int count, int len,
                        boolean accumulate) {
        if (len < SHORT_ROW) {
            for (int t = 0; t < len; t++) {
                float s0 = 0, s1 = 0;
                int r = 0;
                for (; r + 2 <= count; r += 2) {
                    s0 += coef[c0 + cs * r] * rows[r][t];
                    s1 += coef[c0 + cs * (r + 1)] * rows[r + 1][t];
                }
                if (r < count) s0 += coef[c0 + cs * r] * rows[r][t];
                out[t] = accumulate ? out[t] + (s0 + s1) : s0 + s1;
            }
            return;
        }
        if (!accumulate) Arrays.fill(out, 0, len, 0f);
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            int c = c0 + cs * r;
            axpy4(out, coef[c], rows[r], coef[c + cs], rows[r + 1], coef[c + 2 * cs], rows[r + 2],
                    coef[c + 3 * cs], rows[r + 3], len);
        }
        for (; r < count; r++) axpy(out, coef[c0 + cs * r], rows[r], len);
    }

    /** rows[r][0 .. len) = src[so + r*len ..] for r &lt; count: stages count consecutive rows of src. */
    static void stage(float[] src, int so, float[][] rows, int count, int len) {
        for (int r = 0; r < count; r++) System.arraycopy(src, so + r * len, rows[r], 0, len);
    }

    // ---- offset rows (scalar unless the offsets fold to constants) ------------------------------------------

    /** y[yo + j] += a * x[xo + j]. */
    static void axpy(float[] y, int yo, float a, float[] x, int xo, int len) {
        for (int j = 0; j < len; j++) y[yo + j] += a * x[xo + j];
    }

    /** y[yo + j] += a * x[xo + xs*j] (gather). */
    static void axpyGather(float[] y, int yo, float a, float[] x, int xo, int xs, int len) {
        for (int j = 0; j < len; j++) y[yo + j] += a * x[xo + xs * j];
    }

    /** y[yo + ys*j] += a * x[xo + j] (scatter). */
    static void axpyScatter(float[] y, int yo, int ys, float a, float[] x, int xo, int len) {
        for (int j = 0; j < len; j++) y[yo + ys * j] += a * x[xo + j];
    }

    /** y[yo + j] += x[xo + j]. */
    static void add(float[] y, int yo, float[] x, int xo, int len) {
        for (int j = 0; j < len; j++) y[yo + j] += x[xo + j];
    }

    /** y[yo + j] += x[xo + xs*j]. */
    static void addGather(float[] y, int yo, float[] x, int xo, int xs, int len) {
        for (int j = 0; j < len; j++) y[yo + j] += x[xo + xs * j];
    }

    /** y[yo + ys*j] += x[xo + j]. */
    static void addScatter(float[] y, int yo, int ys, float[] x, int xo, int len) {
        for (int j = 0; j < len; j++) y[yo + ys * j] += x[xo + j];
    }

    /** y[yo + j] = max(y[yo + j], x[xo + xs*j]); NaN wins, as in PyTorch. */
    static void maxGather(float[] y, int yo, float[] x, int xo, int xs, int len) {
        for (int j = 0; j < len; j++) y[yo + j] = Math.max(y[yo + j], x[xo + xs * j]);
    }

    /** acc[ao + j] += a[o1 + j] * b[o2 + bs*j]. */
    static void mulAdd(float[] acc, int ao, float[] a, int o1, float[] b, int o2, int bs, int len) {
        if (bs == 1) {
            for (int j = 0; j < len; j++) acc[ao + j] += a[o1 + j] * b[o2 + j];
        } else {
            for (int j = 0; j < len; j++) acc[ao + j] += a[o1 + j] * b[o2 + bs * j];
        }
    }

    /** sum of a[o .. o+len) in float, four interleaved partial sums. */
    static float sum(float[] a, int o, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            s0 += a[o + j];
            s1 += a[o + j + 1];
            s2 += a[o + j + 2];
            s3 += a[o + j + 3];
        }
        for (; j < len; j++) s0 += a[o + j];
        return (s0 + s1) + (s2 + s3);
    }

    /** sum of a[o .. o+len) in double. */
    static double sumDouble(float[] a, int o, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            s0 += a[o + j];
            s1 += a[o + j + 1];
            s2 += a[o + j + 2];
            s3 += a[o + j + 3];
        }
        for (; j < len; j++) s0 += a[o + j];
        return (s0 + s1) + (s2 + s3);
    }

    /** sum_j a[ao + j] * b[bo + j] in float, four interleaved partial sums. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < len; j++) s0 += a[ao + j] * b[bo + j];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The filter-gradient GEMM of one image: g[go + r*cols + c] += sum_p dy[dyo + r*len + p] * x[c][p] for
     * r &lt; rows, c &lt; cols: rows of dy against the staged rows of x, as dot products.
     */
    static void accumulateProducts(float[] g, int go, float[] dy, int dyo, float[][] x, int rows, int cols, int len) {
        for (int r = 0; r < rows; r++) {
            int dr = dyo + r * len, gr = go + r * cols;
            if (len < SHORT_ROW) {
                for (int c = 0; c < cols; c++) {
                    float s = 0;
                    for (int p = 0; p < len; p++) s += dy[dr + p] * x[c][p];
                    g[gr + c] += s;
                }
            } else {
                for (int c = 0; c < cols; c++) g[gr + c] += dot(dy, dr, x[c], 0, len);
            }
        }
    }
}
