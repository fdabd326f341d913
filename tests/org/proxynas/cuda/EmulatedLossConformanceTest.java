package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cuda/loss.cu (softmaxCrossEntropy, mseLoss, bceLoss, dot, sumSquares) and cuda/optim.cu (sgdStep, adamStep)
 * under emulation against the CPU reference (CpuLoss, CpuElementwise, CpuOptim). Sizes exceed one block of threads
 * and the emulated grid cap, so grid-stride loops wrap and several block partials are combined.
 *
 * <p>Tolerances. <b>Returned values</b> (losses, dot, sumSquares): <b>1e-12 relative</b> to the sum of absolute
 * terms: both sides add the same double terms, in a different order (CPU: four interleaved accumulators per block
 * of 16384, or rows in order; GPU: per-thread strided sums and a tree), so only double rounding (~1e-16 per
 * addition) differs; the cross-entropy and BCE terms also use the device's exp/log/log1p (within 2 ulp in double).
 * Accuracy counts are exact. <b>Gradients</b>: MSE bit-exact (the same fp32 operations); cross-entropy and BCE
 * gradients <b>1e-6 relative + 1e-12 absolute</b>: double formulas rounded once to float, where a 1-ulp double
 * difference of exp/log can move the float rounding by one float ulp (6e-8 relative). <b>Optimisers</b>:
 * <b>bit-exact</b> (the same fp32 operations in the same order, correctly rounded sqrt and division, no FMA).
 */
class EmulatedLossConformanceTest extends EmulatedSpatialChecks {

    /** Float tensors of one shape on both backends. */
    private Tensor[] pair(float[] data, int... shape) { return new Tensor[]{cpu.fromHost(data, shape), cuda.fromHost(data, shape)}; }

    private static void close(String what, double expected, double actual, double scale) {
        assertTrue(Math.abs(expected - actual) <= 1e-12 * scale, what + ": cpu " + expected + ", cuda " + actual);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        float[] e = expected.toHost(), a = actual.toHost();
        for (int i = 0; i < e.length; i++) {
            boolean ok = rtol == 0 && atol == 0 ? Float.floatToIntBits(e[i]) == Float.floatToIntBits(a[i])
                                                : Math.abs((double) a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            assertTrue(ok, what + " element " + i + ": cpu " + e[i] + ", cuda " + a[i]);
        }
    }

    @Test
    void softmaxCrossEntropyMatches() {
        Random rnd = new Random(1);
        for (int[] nk : new int[][]{{1, 1}, {3, 10}, {1100, 7}, {5, 300}}) {
            int n = nk[0], k = nk[1];
            float[] x = values(rnd, n * k, Values.GAUSSIAN), labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(k);
            if (n > 3) { x[0] = x[1] = 3f; labels[0] = 1; }  // a tie: first arg-max is 0, not the label
            for (int mode = 0; mode < 3; mode++) {  // 0: no gradient, 1: gradient, 2: gradient into the logits
                Tensor[] xs = pair(x, n, k), ls = pair(labels, n), ds = pair(new float[n * k], n, k);
                Tensor[] dl = mode == 0 ? new Tensor[2] : mode == 1 ? ds : xs;
                LossStats e = cpu.kernels().softmaxCrossEntropy(xs[0], ls[0], dl[0], 0.75f);
                LossStats a = cuda.kernels().softmaxCrossEntropy(xs[1], ls[1], dl[1], 0.75f);
                String what = "softmaxCrossEntropy " + n + "x" + k + " mode " + mode;
                close(what, e.loss(), a.loss(), Math.abs(e.loss()) + 1);
                assertEquals(e.correct(), a.correct(), what + " correct");
                assertEquals(e.count(), a.count(), what + " count");
                if (mode > 0) assertClose(what + " dlogits", dl[0], dl[1], 1e-6, 1e-12);
                assertClose(what + " labels", ls[0], ls[1], 0, 0);
            }
        }
    }

    @Test
    void mseAndBceMatch() {
        Random rnd = new Random(2);
        for (int n : new int[]{1, 7, 2500}) {
            float[] p = values(rnd, n, Values.GAUSSIAN), t = values(rnd, n, Values.GAUSSIAN);
            float[] prob = new float[n], target = new float[n];
            for (int i = 0; i < n; i++) {
                prob[i] = i % 97 == 3 ? 0f : i % 89 == 5 ? 1f : rnd.nextFloat();
                target[i] = i % 3 == 0 ? rnd.nextFloat() : rnd.nextInt(2);
            }
            for (boolean inPlace : new boolean[]{false, true}) {
                for (boolean grad : new boolean[]{false, true}) {
                    String what = " n=" + n + " grad=" + grad + " inPlace=" + inPlace;
                    Tensor[] ps = pair(p, n), ts = pair(t, n), ds = grad ? (inPlace ? ps : pair(new float[n], n)) : new Tensor[2];
                    double e = cpu.kernels().mseLoss(ps[0], ts[0], ds[0], 1.5f);
                    double a = cuda.kernels().mseLoss(ps[1], ts[1], ds[1], 1.5f);
                    close("mseLoss" + what, e, a, e);
                    if (grad) assertClose("mseLoss dpred" + what, ds[0], ds[1], 0, 0);
                    Tensor[] qs = pair(prob, n), ys = pair(target, n), gs = grad ? (inPlace ? qs : pair(new float[n], n)) : new Tensor[2];
                    e = cpu.kernels().bceLoss(qs[0], ys[0], gs[0], 0.5f);
                    a = cuda.kernels().bceLoss(qs[1], ys[1], gs[1], 0.5f);
                    close("bceLoss" + what, e, a, Math.abs(e) * 2 + 100.0 / n);  // clamped terms of 100 included
                    if (grad) assertClose("bceLoss dprob" + what, gs[0], gs[1], 1e-6, 1e-12);
                }
            }
        }
    }

    @Test
    void dotAndSumSquaresMatch() {
        Random rnd = new Random(3);
        for (int n : new int[]{1, 255, 257, 5000}) {
            float[] a = values(rnd, n, Values.GAUSSIAN), b = values(rnd, n, Values.GAUSSIAN);
            double abs = 0, sq = 0;
            for (int i = 0; i < n; i++) { abs += Math.abs((double) a[i] * b[i]); sq += (double) a[i] * a[i]; }
            Tensor[] as = pair(a, n), bs = pair(b, n);
            close("dot n=" + n, cpu.kernels().dot(as[0], bs[0]), cuda.kernels().dot(as[1], bs[1]), abs);
            close("sumSquares n=" + n, cpu.kernels().sumSquares(as[0]), cuda.kernels().sumSquares(as[1]), sq);
            // dot only needs equal sizes
            Tensor[] cs = pair(b, 1, n);
            close("dot reshaped n=" + n, cpu.kernels().dot(as[0], cs[0]), cuda.kernels().dot(as[1], cs[1]), abs);
        }
    }

    @Test
    void optimisersMatchBitForBit() {
        for (int[] shape : new int[][]{{3, 5}, {2, 3, 17, 19}}) {
            for (float wd : new float[]{0f, 3e-4f}) {
                String what = Arrays.toString(shape) + " wd=" + wd;
                // three steps, so the momentum buffer and the moments are not zero
                compare("sgdStep " + what, new int[][]{shape, shape, shape}, Values.GAUSSIAN, 0, 0, (k, t) -> {
                    for (int s = 0; s < 3; s++) k.sgdStep(t[0], t[1], t[2], 0.025f, 0.9f, wd);
                });
                compare("adamStep " + what, new int[][]{shape, shape, shape, shape}, Values.GAUSSIAN, 0, 0, (k, t) -> {
                    k.scale(t[3], 0f);  // v must start non-negative
                    for (int s = 1; s <= 3; s++) k.adamStep(t[0], t[1], t[2], t[3], 1e-3f, 0.9f, 0.999f, 1e-8f, wd, s);
                });
            }
        }
    }

}
