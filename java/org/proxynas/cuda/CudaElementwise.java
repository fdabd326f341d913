package org.proxynas.cuda;

import org.proxynas.tensor.ElementwiseChecks;
import org.proxynas.tensor.ElementwiseKernels;
import org.proxynas.tensor.Tensor;

import static org.proxynas.cuda.Launches.flag;

/**
 * The elementwise family on CUDA, as {@code CpuElementwise} on the CPU: maps and their backwards, fill/axpy/scale/mul
 * (cuda/elementwise.cu), weighted sums, per-sample scaling and channel copies (cuda/channels.cu), dropout
 * (cuda/dense.cu) and the dot products (cuda/loss.cu). Bit-identical to the CPU except sigmoid (1e-6 absolute);
 * dot and sumSquares add their block partials in block order.
 */
final class CudaElementwise implements ElementwiseKernels {
    /** Terms per weighted_sum_f32 launch (PROXYNAS_WSUM_TERMS in cuda/channels.cu). */
    static final int WSUM_TERMS = 8;

    private final Launches l;

    CudaElementwise(Launches launches) { this.l = launches; }

    /** y = f(x) elementwise (kernel's arguments: x, y, n). */
    private void map(String kernel, Tensor x, Tensor y) {
        ElementwiseChecks.map(x, y);
        l.perThread(kernel, x.size(), l.ptr(x), l.ptr(y), x.size());
    }

    /** dx (+)= dy * f'(from the output y), elementwise (kernel's arguments: y, dy, dx, n, accumulate). */
    private void mapBackward(String kernel, Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        ElementwiseChecks.mapBackward(y, dy, dx);
        l.perThread(kernel, y.size(), l.ptr(y), l.ptr(dy), l.ptr(dx), y.size(), flag(accumulate));
    }

    @Override public void relu(Tensor x, Tensor y) { map("relu_f32", x, y); }

    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        mapBackward("relu_backward_f32", y, dy, dx, accumulate);
    }

    @Override public void sigmoid(Tensor x, Tensor y) { map("sigmoid_f32", x, y); }

    @Override public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        mapBackward("sigmoid_backward_f32", y, dy, dx, accumulate);
    }

    @Override public void fill(Tensor t, float value) {
        ElementwiseChecks.fill(t);
        l.perThread("fill_f32", t.size(), l.ptr(t), value, t.size());
    }

    @Override public void axpy(float a, Tensor x, Tensor y) {
        ElementwiseChecks.axpy(x, y);
        l.perThread("axpy_f32", x.size(), a, l.ptr(x), l.ptr(y), x.size());
    }

    @Override public void scale(Tensor x, float a) {
        ElementwiseChecks.scale(x);
        l.perThread("scale_f32", x.size(), l.ptr(x), a, x.size());
    }

    @Override public void mul(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        ElementwiseChecks.mul(a, b, y);
        l.perThread("mul_f32", a.size(), l.ptr(a), l.ptr(b), l.ptr(y), a.size(), flag(accumulate));
    }

    /** Up to {@link #WSUM_TERMS} inputs per launch; later chunks accumulate onto y. */
    @Override public void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate) {
        ElementwiseChecks.weightedSum(xs, weights, y);
        Tensor[] in = xs.clone();
        if (in.length > WSUM_TERMS) {
            // chained launches write y between chunks: a later input that is y must be read from a copy
            Tensor copy = null;
            for (int k = WSUM_TERMS; k < in.length; k++) {
                if (in[k].buffer() == y.buffer()) {
                    if (copy == null) {
                        copy = l.backend().allocate(y.shape());
                        l.backend().copy(y, copy);
                    }
                    in[k] = copy;
                }
            }
        }
        boolean acc = accumulate;
        int start = 0;
        do {
            int terms = Math.min(WSUM_TERMS, in.length - start);
            Object[] args = new Object[4 + 2 * WSUM_TERMS];
            args[0] = l.ptr(y);
            args[1] = y.size();
            args[2] = flag(acc);
            args[3] = terms;
            for (int k = 0; k < WSUM_TERMS; k++) {
                args[4 + k] = k < terms ? l.ptr(in[start + k]) : new Launcher.Ptr(0);
                args[4 + WSUM_TERMS + k] = k < terms ? weights[start + k] : 0f;
            }
            l.perThread("weighted_sum_f32", y.size(), args);
            acc = true;
            start += terms;
        } while (start < in.length);
    }

    @Override public void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate) {
        ElementwiseChecks.scaleSamples(x, scales, y);
        Tensor s = l.upload(scales);
        l.perThread("scale_samples_f32", x.size(), l.ptr(x), l.ptr(s), l.ptr(y), x.size(), x.size() / x.n(),
                flag(accumulate));
        java.lang.ref.Reference.reachabilityFence(s);  // its pool block must not be reused before the launch is queued
    }

    @Override public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        ElementwiseChecks.dropout(x, y, mask, p);
        l.perThread("dropout_f32", x.size(), l.ptr(x), l.ptr(y), l.ptr(mask), p, 1f / (1f - p), seed, x.size());
    }

    @Override public double dot(Tensor a, Tensor b) {
        ElementwiseChecks.dot(a, b);
        return dotPartials(a, b);
    }

    @Override public double sumSquares(Tensor x) {
        ElementwiseChecks.sumSquares(x);
        return dotPartials(x, x);
    }

    private double dotPartials(Tensor a, Tensor b) {
        int grid = l.grid(a.size(), l.threads("dot_partial_f32"));
        Tensor part = l.partialBuffer(grid);
        l.launch("dot_partial_f32", grid, 0, l.ptr(a), l.ptr(b), l.ptr(part), a.size());
        return Launches.sumInOrder(Launches.partials(part));
    }

    @Override public void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate) {
        ElementwiseChecks.copyChannels(src, srcChannel, dst, dstChannel, channels);
        long plane = src.plane(), len = channels * plane;
        l.perThread("copy_channels_f32", src.n() * len, l.ptr(src), l.ptr(dst), (long) src.n(), len,
                src.c() * plane, srcChannel * plane, dst.c() * plane, dstChannel * plane, flag(accumulate));
    }
}
