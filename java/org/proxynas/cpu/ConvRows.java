package org.proxynas.cpu;

import java.util.Arrays;

/**
 * Row kernels shared by the convolution, pooling and normalisation families. Each is a single loop over
 * contiguous (or, where named, strided) floats, small enough for the JIT to compile early, inline into its
 * caller and vectorise; the kernels only decide which rows to combine.
 *
 * <p>Reductions ({@link #dot}, {@link #sum}) keep independent partial sums that are combined in a fixed order,
 * so their results depend on the data alone.
 */
final class ConvRows {
    private ConvRows() {}

    /** Below this many outputs per row, {@link #combine} and {@link #accumulateProducts} use dot products. */
    static final int SHORT_ROW = 16;

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

    /** sum of (a[o+j] - m)^2 in double. */
    static double sumSquaredDeviations(float[] a, int o, int len, double m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            double d0 = a[o + j] - m, d1 = a[o + j + 1] - m, d2 = a[o + j + 2] - m, d3 = a[o + j + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < len; j++) {
            double d = a[o + j] - m;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** sum of a[ao+j] * (b[bo+j] - m) in double. */
    static double dotDeviations(float[] a, int ao, float[] b, int bo, int len, double m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= len; j += 4) {
            s0 += a[ao + j] * (b[bo + j] - m);
            s1 += a[ao + j + 1] * (b[bo + j + 1] - m);
            s2 += a[ao + j + 2] * (b[bo + j + 2] - m);
            s3 += a[ao + j + 3] * (b[bo + j + 3] - m);
        }
        for (; j < len; j++) s0 += a[ao + j] * (b[bo + j] - m);
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

    /** sum_t a[ao + as*t] * b[bo + bs*t] for t in [0, count): a dot product over two strided vectors. */
    static float dotStrided(float[] a, int ao, int as, float[] b, int bo, int bs, int count) {
        float s0 = 0, s1 = 0;
        int t = 0;
        for (; t + 2 <= count; t += 2) {
            s0 += a[ao + as * t] * b[bo + bs * t];
            s1 += a[ao + as * (t + 1)] * b[bo + bs * (t + 1)];
        }
        if (t < count) s0 += a[ao + as * t] * b[bo + bs * t];
        return s0 + s1;
    }

    /**
     * out[oo + t] += sum_j a[ao + j] * b[bo + bs*t + j] for t = 0..3: four dot products that share the row a,
     * so each load of a feeds four independent sums.
     */
    static void dot4(float[] a, int ao, float[] b, int bo, int bs, int len, float[] out, int oo) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int b0 = bo, b1 = bo + bs, b2 = bo + 2 * bs, b3 = bo + 3 * bs;
        for (int j = 0; j < len; j++) {
            float v = a[ao + j];
            s0 += v * b[b0 + j];
            s1 += v * b[b1 + j];
            s2 += v * b[b2 + j];
            s3 += v * b[b3 + j];
        }
        out[oo] += s0;
        out[oo + 1] += s1;
        out[oo + 2] += s2;
        out[oo + 3] += s3;
    }

    /**
     * The GEMM row: out[oo + p] (+)= sum_t a[ao + as*t] * b[bo + bs*t + p] for p in [0, len), t in [0, count).
     * a holds the coefficients (a weight row, or a weight column with as = row length), b the rows they combine.
     * Long rows are updated four input rows at a time with p innermost (vectorised); short rows use dot products.
     */
    static void combine(float[] out, int oo, float[] a, int ao, int as, float[] b, int bo, int bs,
                        int count, int len, boolean accumulate) {
        if (len < SHORT_ROW) {
            for (int p = 0; p < len; p++) {
                float s = dotStrided(a, ao, as, b, bo + p, bs, count);
                out[oo + p] = accumulate ? out[oo + p] + s : s;
            }
            return;
        }
        if (!accumulate) Arrays.fill(out, oo, oo + len, 0f);
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            int at = ao + as * t, bt = bo + bs * t;
            axpy4(out, oo, a[at], a[at + as], a[at + 2 * as], a[at + 3 * as], b, bt, bs, len);
        }
        for (; t < count; t++) axpy(out, oo, a[ao + as * t], b, bo + bs * t, len);
    }

    /** y[yo + p] += a0*x[xo+p] + a1*x[xo+xs+p] + a2*x[xo+2xs+p] + a3*x[xo+3xs+p]. */
    static void axpy4(float[] y, int yo, float a0, float a1, float a2, float a3, float[] x, int xo, int xs, int len) {
        int x0 = xo, x1 = xo + xs, x2 = xo + 2 * xs, x3 = xo + 3 * xs;
        for (int p = 0; p < len; p++) {
            y[yo + p] += (a0 * x[x0 + p] + a1 * x[x1 + p]) + (a2 * x[x2 + p] + a3 * x[x3 + p]);
        }
    }

    /**
     * The weight-gradient GEMM of one image: g[go + r*cols + c] += sum_p dy[dyo + r*len + p] * x[xo + c*len + p]
     * for r in [0, rows), c in [0, cols): rows of dy against rows of x, both len long. Long rows use
     * {@link #dot4} blocks; short rows (len &lt; SHORT_ROW) sweep p outermost with vectorised updates of g.
     */
    static void accumulateProducts(float[] g, int go, float[] dy, int dyo, float[] x, int xo,
                                   int rows, int cols, int len) {
        if (len < SHORT_ROW) {
            for (int r = 0; r < rows; r++) {
                for (int p = 0; p < len; p++) {
                    axpyGather(g, go + r * cols, dy[dyo + r * len + p], x, xo + p, len, cols);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int dr = dyo + r * len, gr = go + r * cols;
            int c = 0;
            for (; c + 4 <= cols; c += 4) dot4(dy, dr, x, xo + c * len, len, len, g, gr + c);
            for (; c < cols; c++) g[gr + c] += dot(dy, dr, x, xo + c * len, len);
        }
    }
}
