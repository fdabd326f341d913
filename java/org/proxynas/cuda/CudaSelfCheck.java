package org.proxynas.cuda;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

import java.util.Locale;
import java.util.function.BiFunction;

/**
 * A startup check that a CUDA backend computes what the CPU reference computes, on a few small kernels that cover
 * the families a search leans on (elementwise, separable conv pieces, batch norm, a block reduction, the loss and
 * the optimiser), before {@code --backend auto} trusts it. Tolerance 1e-4 relative to each output's largest
 * magnitude: the conformance suites hold these kernels far tighter (most bit-exact, the reductions to 1e-6), so
 * only a broken device, driver or fatbin fails it. Takes milliseconds on a GPU.
 */
public final class CudaSelfCheck {
    static final double TOLERANCE = 1e-4;

    private CudaSelfCheck() {}

    /** Whether it passed, and a line saying which kernel differed by how much when it did not. */
    public record Result(boolean passed, String detail) {}

    public static Result run(Backend cuda, Backend cpu) {
        try {
            Rng rng = new Rng(20240229);
            int n = 2, c = 6, h = 9, w = 7;
            float[] x = gaussian(rng, n * c * h * w), dw = gaussian(rng, c * 9), pw = gaussian(rng, 5 * c);
            float[] labels = {1, 4};
            String failed = firstDifference(cuda, cpu, (b, k) -> {
                Tensor xt = b.fromHost(x, n, c, h, w), r = b.allocate(n, c, h, w), y = b.allocate(n, c, h, w), z = b.allocate(n, 5, h, w);
                k.relu(xt, r);
                k.depthwiseConvForward(r, b.fromHost(dw, c, 1, 3, 3), y, ConvGeom.of(3, 1, 1));
                k.pointwiseConvForward(y, b.fromHost(pw, 5, c, 1, 1), z, 1, 0);
                Tensor mean = b.allocate(5), invStd = b.allocate(5), bn = b.allocate(n, 5, h, w);
                k.batchNormTrainForward(z, null, null, null, null, 0.1f, 1e-5f, bn, mean, invStd);
                Tensor pooled = b.allocate(n, 5);
                k.globalAvgPoolForward(bn, pooled);
                Tensor d = b.allocate(n, 5);
                LossStats s = k.softmaxCrossEntropy(pooled, b.fromHost(labels, n), d, 1f);
                Tensor buf = b.allocate(n, 5);
                k.sgdStep(pooled, d, buf, 0.1f, 0.9f, 1e-3f);
                double sq = k.sumSquares(bn);
                return new float[][] {y.toHost(), bn.toHost(), d.toHost(), pooled.toHost(), {(float) s.loss(), s.correct()}, {(float) sq}};
            });
            return failed == null ? new Result(true, "matches the CPU on relu, depthwise and pointwise conv, batch norm, pooling, "
                    + "softmax cross-entropy, SGD and a sum of squares") : new Result(false, failed);
        } catch (RuntimeException e) {
            return new Result(false, "the self-check failed to run: " + e.getMessage());
        }
    }

    /** Runs f on both backends; null when the outputs agree, else a line naming the first element that differs. */
    private static String firstDifference(Backend cuda, Backend cpu, BiFunction<Backend, Kernels, float[][]> f) {
        float[][] got = f.apply(cuda, cuda.kernels()), want = f.apply(cpu, cpu.kernels());
        for (int part = 0; part < want.length; part++) {
            double scale = 1e-30;
            for (float v : want[part]) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < want[part].length; i++) {
                double err = Math.abs((double) got[part][i] - want[part][i]);
                if (!(err <= TOLERANCE * scale)) {
                    return String.format(Locale.ROOT, "%s[%d] is %s on CUDA, %s on the CPU (tolerance %.1e of %.3g)",
                            PARTS[part], i, got[part][i], want[part][i], TOLERANCE, scale);
                }
            }
        }
        return null;
    }

    private static final String[] PARTS = {"depthwise conv", "batch norm", "softmax cross-entropy gradient",
            "pooled logits after SGD", "loss and correct count", "sum of squares"};

    private static float[] gaussian(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
