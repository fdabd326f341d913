package org.proxynas.cpu;

import org.proxynas.tensor.ElementwiseChecks;
import org.proxynas.tensor.ElementwiseKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU kernels: elementwise maps, weighted sums, dropout, reductions and channel copies.
 *
 * <p>Work is split into fixed blocks of {@link #BLOCK} elements. A block's result depends only on its index, so
 * every kernel here gives the same bits for any thread count, and the reductions ({@link #dot},
 * {@link #sumSquares}) combine per-block partials in block order.
 */
final class CpuElementwise implements ElementwiseKernels {
    /** Elements per work item; below this a kernel runs on the calling thread. */
    static final int BLOCK = 1 << 14;

    /** Weyl increment of splitmix64 (2^64 / golden ratio), also used to spread element indices for dropout. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final CpuBackend backend;
    private final Parallel parallel;

    CpuElementwise(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    @FunctionalInterface
    private interface RangeBody { void run(int start, int end); }

    /** Runs body over [0, n) in fixed blocks of {@link #BLOCK}, in parallel when there is more than one block. */
    private void blocks(int n, RangeBody body) {
        int count = blockCount(n);
        if (count <= 1) {
            body.run(0, n);
            return;
        }
        parallel.forEach(count, b -> body.run(b * BLOCK, Math.min(n, (b + 1) * BLOCK)));
    }

    private static int blockCount(int n) { return (n + BLOCK - 1) / BLOCK; }

    private static int size(Tensor t) { return (int) t.size(); }

    // ---- activations --------------------------------------------------------------------------------------

    @Override public void relu(Tensor x, Tensor y) {
        ElementwiseChecks.map(x, y);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        blocks(size(x), (s, e) -> {
            for (int i = s; i < e; i++) ys[i] = Math.max(xs[i], 0f);
        });
    }

    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        ElementwiseChecks.mapBackward(y, dy, dx);
        float[] ys = CpuBackend.data(y), dys = CpuBackend.data(dy), dxs = CpuBackend.data(dx);
        blocks(size(y), (s, e) -> {
            if (accumulate) {
                for (int i = s; i < e; i++) dxs[i] += Float.intBitsToFloat(Float.floatToRawIntBits(dys[i]) & positiveMask(ys[i]));
            } else {
                for (int i = s; i < e; i++) dxs[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dys[i]) & positiveMask(ys[i]));
            }
        });
    }

    /**
     * -1 (all bits) when y &gt; 0, else 0: the branch-free form of {@code y > 0f ? dy : 0f} as dy &amp; mask, which
     * the JIT vectorises (it does not vectorise the float select). With b the bits of y, y &gt; 0 exactly when
     * 0 &lt; b &le; 0x7f800000 (+0 is 0, negatives have the sign bit, positive NaNs lie above +infinity): the
     * sign bits of -b (b &gt; 0, or b = MIN_VALUE), ~b (b &ge; 0) and b - 0x7f800001 (b &le; +infinity, for b &ge; 0) all set.
     */
    static int positiveMask(float y) {
        int b = Float.floatToRawIntBits(y);
        return (-b & ~b & (b - 0x7f800001)) >> 31;
    }

    @Override public void sigmoid(Tensor x, Tensor y) {
        ElementwiseChecks.map(x, y);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        blocks(size(x), (s, e) -> {
            for (int i = s; i < e; i++) ys[i] = sigmoid(xs[i]);
        });
    }

    /** 1 / (1 + e^-x) in double, rounded once; saturates cleanly to 0 and 1. */
    static float sigmoid(float x) { return (float) (1.0 / (1.0 + Math.exp(-x))); }

    @Override public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        ElementwiseChecks.mapBackward(y, dy, dx);
        float[] ys = CpuBackend.data(y), dys = CpuBackend.data(dy), dxs = CpuBackend.data(dx);
        blocks(size(y), (s, e) -> {
            if (accumulate) {
                for (int i = s; i < e; i++) dxs[i] += dys[i] * ys[i] * (1f - ys[i]);
            } else {
                for (int i = s; i < e; i++) dxs[i] = dys[i] * ys[i] * (1f - ys[i]);
            }
        });
    }

    // ---- BLAS-1 style ---------------------------------------------------------------------------------------

    @Override public void fill(Tensor t, float value) {
        ElementwiseChecks.fill(t);
        float[] ts = CpuBackend.data(t);
        blocks(size(t), (s, e) -> java.util.Arrays.fill(ts, s, e, value));
    }

    @Override public void axpy(float a, Tensor x, Tensor y) {
        ElementwiseChecks.axpy(x, y);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        blocks(size(x), (s, e) -> {
            for (int i = s; i < e; i++) ys[i] += a * xs[i];
        });
    }

    @Override public void scale(Tensor x, float a) {
        ElementwiseChecks.scale(x);
        float[] xs = CpuBackend.data(x);
        blocks(size(x), (s, e) -> {
            for (int i = s; i < e; i++) xs[i] *= a;
        });
    }

    @Override public void mul(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        ElementwiseChecks.mul(a, b, y);
        float[] as = CpuBackend.data(a), bs = CpuBackend.data(b), ys = CpuBackend.data(y);
        blocks(size(a), (s, e) -> {
            if (accumulate) {
                for (int i = s; i < e; i++) ys[i] += as[i] * bs[i];
            } else {
                for (int i = s; i < e; i++) ys[i] = as[i] * bs[i];
            }
        });
    }

    /**
     * y (+)= sum_k weights[k] * xs[k]. Terms are added in k order for every element. When y shares its buffer
     * with an input the sum is formed per element (correct for aliasing); otherwise input by input over each
     * block, which the JIT vectorises.
     */
    @Override public void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate) {
        ElementwiseChecks.weightedSum(xs, weights, y);
        float[] ys = CpuBackend.data(y);
        float[][] in = new float[xs.length][];
        boolean aliased = false;
        for (int k = 0; k < xs.length; k++) {
            in[k] = CpuBackend.data(xs[k]);
            aliased |= in[k] == ys;
        }
        int terms = in.length;
        if (aliased) {
            blocks(size(y), (s, e) -> {
                for (int i = s; i < e; i++) {
                    float acc = accumulate ? ys[i] : 0f;
                    for (int k = 0; k < terms; k++) acc += weights[k] * in[k][i];
                    ys[i] = acc;
                }
            });
            return;
        }
        blocks(size(y), (s, e) -> {
            if (!accumulate) java.util.Arrays.fill(ys, s, e, 0f);
            for (int k = 0; k < terms; k++) {
                float w = weights[k];
                float[] xk = in[k];
                for (int i = s; i < e; i++) ys[i] += w * xk[i];
            }
        });
    }

    @Override public void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate) {
        ElementwiseChecks.scaleSamples(x, scales, y);
        int n = x.n();
        int per = (int) (x.size() / n);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        RangeBody body = (s, e) -> {
            for (int sample = s; sample < e; sample++) {
                float a = scales[sample];
                int off = sample * per;
                if (accumulate) {
                    for (int i = off; i < off + per; i++) ys[i] += a * xs[i];
                } else {
                    for (int i = off; i < off + per; i++) ys[i] = a * xs[i];
                }
            }
        };
        if ((long) n * per <= BLOCK) body.run(0, n);
        else parallel.forEach(n, sample -> body.run(sample, sample + 1));
    }

    // ---- dropout ----------------------------------------------------------------------------------------------

    /**
     * The counter-based uniform behind {@link #dropout}: splitmix64 of {@code seed ^ (index * GOLDEN)}, top 24
     * bits, scaled to [0, 1) (exact in fp32). A CUDA kernel reproduces the mask bit for bit from this function.
     */
    static float dropoutUniform(long seed, long index) {
        return (splitmix64(seed ^ (index * GOLDEN)) >>> 40) * 0x1.0p-24f;
    }

    /** One splitmix64 output for state x (Steele, Lea and Flood 2014). */
    static long splitmix64(long x) {
        long z = x + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Inverted dropout. Element i is dropped when {@code dropoutUniform(seed, i) < p}; kept elements get the mask
     * value {@code 1f / (1f - p)} (computed in fp32). y may be x.
     */
    @Override public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        ElementwiseChecks.dropout(x, y, mask, p);
        float keep = 1f / (1f - p);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y), ms = CpuBackend.data(mask);
        blocks(size(x), (s, e) -> {
            for (int i = s; i < e; i++) {
                float m = dropoutUniform(seed, i) < p ? 0f : keep;
                ms[i] = m;
                ys[i] = xs[i] * m;
            }
        });
    }

    // ---- reductions ---------------------------------------------------------------------------------------

    @Override public double dot(Tensor a, Tensor b) {
        ElementwiseChecks.dot(a, b);
        float[] as = CpuBackend.data(a), bs = CpuBackend.data(b);
        int n = size(a);
        double[] partial = new double[blockCount(n)];
        blocks(n, (s, e) -> partial[s / BLOCK] = dotRange(as, bs, s, e));
        return sumInOrder(partial);
    }

    @Override public double sumSquares(Tensor x) {
        ElementwiseChecks.sumSquares(x);
        float[] xs = CpuBackend.data(x);
        int n = size(x);
        double[] partial = new double[blockCount(n)];
        blocks(n, (s, e) -> partial[s / BLOCK] = dotRange(xs, xs, s, e));
        return sumInOrder(partial);
    }

    /** sum a[i] * b[i] over [s, e) in double, four interleaved accumulators (fixed order, so deterministic). */
    private static double dotRange(float[] a, float[] b, int s, int e) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = s;
        for (; i + 3 < e; i += 4) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
        }
        for (; i < e; i++) s0 += (double) a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumInOrder(double[] partial) {
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    // ---- channels -----------------------------------------------------------------------------------------

    @Override public void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate) {
        ElementwiseChecks.copyChannels(src, srcChannel, dst, dstChannel, channels);
        float[] ss = CpuBackend.data(src), ds = CpuBackend.data(dst);
        int n = src.n(), plane = src.plane();
        int len = channels * plane;
        int srcStride = src.c() * plane, dstStride = dst.c() * plane;
        int srcBase = srcChannel * plane, dstBase = dstChannel * plane;
        RangeBody body = (s, e) -> {
            for (int sample = s; sample < e; sample++) {
                int so = sample * srcStride + srcBase, d0 = sample * dstStride + dstBase;
                if (accumulate) {
                    for (int i = 0; i < len; i++) ds[d0 + i] += ss[so + i];
                } else {
                    System.arraycopy(ss, so, ds, d0, len);
                }
            }
        };
        if ((long) n * len <= BLOCK) body.run(0, n);
        else parallel.forEach(n, sample -> body.run(sample, sample + 1));
    }
}
