package org.proxynas.tensor;

import java.util.Arrays;

/**
 * Argument checks of the elementwise family (activations, fill/axpy/scale/mul, weighted sums, per-sample scaling,
 * dropout, dot products, channel copies), shared by every backend.
 */
public final class ElementwiseChecks {
    private ElementwiseChecks() {}

    /** y = f(x) ({@link Kernels#relu}, {@link Kernels#sigmoid}). */
    public static void map(Tensor x, Tensor y) {
        Checks.notNull("x", x);
        Checks.sameShape("y", y, "x", x);
    }

    /** dx (+)= dy * f'(y) ({@link Kernels#reluBackward}, {@link Kernels#sigmoidBackward}). */
    public static void mapBackward(Tensor y, Tensor dy, Tensor dx) {
        Checks.notNull("y", y);
        Checks.sameShape("dy", dy, "y", y);
        Checks.sameShape("dx", dx, "y", y);
    }

    /** Arguments of {@link Kernels#fill}. */
    public static void fill(Tensor t) { Checks.notNull("t", t); }

    /** Arguments of {@link Kernels#axpy}. */
    public static void axpy(Tensor x, Tensor y) { map(x, y); }

    /** Arguments of {@link Kernels#scale}. */
    public static void scale(Tensor x) { Checks.notNull("x", x); }

    /** Arguments of {@link Kernels#mul}. */
    public static void mul(Tensor a, Tensor b, Tensor y) {
        Checks.notNull("a", a);
        Checks.sameShape("b", b, "a", a);
        Checks.sameShape("y", y, "a", a);
    }

    /** Arguments of {@link Kernels#weightedSum}. */
    public static void weightedSum(Tensor[] xs, float[] weights, Tensor y) {
        Checks.notNull("xs", xs);
        Checks.notNull("weights", weights);
        Checks.notNull("y", y);
        if (weights.length != xs.length) {
            throw new IllegalArgumentException("weights must have one entry per input (" + xs.length + "), got " + weights.length);
        }
        for (int k = 0; k < xs.length; k++) Checks.sameShape("xs[" + k + "]", xs[k], "y", y);
    }

    /** Arguments of {@link Kernels#scaleSamples}. */
    public static void scaleSamples(Tensor x, float[] scales, Tensor y) {
        Checks.notNull("x", x);
        Checks.notNull("scales", scales);
        Checks.sameShape("y", y, "x", x);
        if (scales.length != x.n()) {
            throw new IllegalArgumentException("scales must have one entry per sample (" + x.n() + "), got " + scales.length);
        }
    }

    /** Arguments of {@link Kernels#dropout}. */
    public static void dropout(Tensor x, Tensor y, Tensor mask, float p) {
        Checks.notNull("x", x);
        Checks.sameShape("y", y, "x", x);
        Checks.sameShape("mask", mask, "x", x);
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("p must be in [0, 1), got " + p);
    }

    /** Arguments of {@link Kernels#dot}. */
    public static void dot(Tensor a, Tensor b) {
        Checks.notNull("a", a);
        Checks.sameSize("b", b, "a", a);
    }

    /** Arguments of {@link Kernels#sumSquares}. */
    public static void sumSquares(Tensor x) { Checks.notNull("x", x); }

    /** Arguments of {@link Kernels#copyChannels}. */
    public static void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels) {
        Checks.notNull("src", src);
        Checks.notNull("dst", dst);
        if (dst.n() != src.n() || dst.h() != src.h() || dst.w() != src.w()) {
            throw new IllegalArgumentException("dst must share N, H, W with src " + Arrays.toString(src.shape())
                    + ", got " + Arrays.toString(dst.shape()));
        }
        Checks.positive("channels", channels);
        if (srcChannel < 0 || srcChannel + channels > src.c()) {
            throw new IllegalArgumentException("srcChannel " + srcChannel + " + channels " + channels
                    + " must lie in src's " + src.c() + " channels");
        }
        if (dstChannel < 0 || dstChannel + channels > dst.c()) {
            throw new IllegalArgumentException("dstChannel " + dstChannel + " + channels " + channels
                    + " must lie in dst's " + dst.c() + " channels");
        }
        if (src.buffer() == dst.buffer()) throw new IllegalArgumentException("src and dst must not share a buffer");
    }
}
