package org.proxynas.tensor;

/**
 * Elementwise maps, sums and reductions, and copies between channel ranges (concat and slice). One family of {@link
 * Kernels}, whose conventions apply.
 */
public interface ElementwiseKernels {
    /** y = max(x, 0); x and y may be the same tensor. */
    void relu(Tensor x, Tensor y);

    /** dx (+)= dy where y &gt; 0; y is the ReLU output (or its input: the mask is the same). */
    void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate);

    /** y = 1 / (1 + exp(-x)). */
    void sigmoid(Tensor x, Tensor y);

    /** dx (+)= dy * y * (1 - y), y the sigmoid output. */
    void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate);

    /** Every element := value. */
    void fill(Tensor t, float value);

    /** y += a * x. */
    void axpy(float a, Tensor x, Tensor y);

    /** x *= a, in place. */
    void scale(Tensor x, float a);

    /** y (+)= a * b, elementwise. */
    void mul(Tensor a, Tensor b, Tensor y, boolean accumulate);

    /** y (+)= sum_i weights[i] * xs[i]; the node sums and the mixed op. */
    void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate);

    /** y[n,...] (+)= scales[n] * x[n,...]: drop-path's per-sample mask, forward and backward. */
    void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate);

    /** Inverted dropout: mask := 0 or 1/(1-p) from a counter-based hash of (seed, index); y = x * mask. */
    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed);

    /** sum_i a[i] * b[i], accumulated in double. */
    double dot(Tensor a, Tensor b);

    /** sum_i x[i]^2, accumulated in double (gradient-norm clipping). */
    double sumSquares(Tensor x);

    /**
     * dst[:, dstChannel + i] (+)= src[:, srcChannel + i] for i in [0, channels): concat (forward) and
     * slice (its backward) on the channel axis. src and dst share N, H, W.
     */
    void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate);
}
