package org.proxynas.cpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.GradCheck;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import java.util.Random;

/**
 * The fused kernels' contract on the CPU reference, checked independently of the chain they are built from: the
 * backward is the gradient of the forward (finite differences), and the statistics are those of the output
 * (recomputed on the host in double). The emulated and GPU suites (CudaFusedChecks) then hold the CUDA kernels to
 * this reference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuFusedTest {
    private CpuBackend backend;
    private Kernels k;

    @BeforeAll
    void open() {
        backend = new CpuBackend(2);
        k = backend.kernels();
    }

    @AfterAll
    void close() { backend.close(); }

    private Tensor tensor(float[] v, int... shape) { return backend.fromHost(v, shape); }

    private static float[] randn(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    /**
     * L = sum(r * y): its gradients from reluDwPwBackward(dy = r) against central differences. The objective is
     * linear in dw and pw (step 0.5: only fp32 rounding of y, ~1e-6 of |L| / 1, enters) and piecewise linear in x
     * with a kink at 0: x is kept at |x| >= 0.1 and stepped by 0.05, so no probe crosses it. Tolerance 1e-3
     * absolute + 1e-3 relative, as the conv conformance suite.
     */
    @Test
    void backwardIsTheGradientOfForward() {
        for (ConvGeom g : new ConvGeom[]{new ConvGeom(3, 1, 1, 1), new ConvGeom(5, 2, 4, 2)}) {
            Random rnd = new Random(11 + g.kernel());
            int n = 2, c = 3, h = 7, w = 6, cout = 4, ho = g.outSize(h), wo = g.outSize(w);
            float[] xh = new float[n * c * h * w];
            for (int i = 0; i < xh.length; i++) xh[i] = (float) ((0.1 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1));
            float[] r = randn(rnd, n * cout * ho * wo);
            Tensor x = tensor(xh, n, c, h, w), dw = tensor(randn(rnd, c * g.kernel() * g.kernel()), c, 1, g.kernel(), g.kernel());
            Tensor pw = tensor(randn(rnd, cout * c), cout, c, 1, 1), dy = tensor(r, n, cout, ho, wo);
            Tensor y = backend.allocate(n, cout, ho, wo), mean = backend.allocate(cout), invStd = backend.allocate(cout);
            Tensor dx = backend.allocate(x.shape()), ddw = backend.allocate(dw.shape()), dpw = backend.allocate(pw.shape());
            k.reluDwPwBackward(dy, x, dw, pw, g, dx, ddw, dpw, false);
            java.util.function.DoubleSupplier loss = () -> {
                k.reluDwPwForward(x, dw, pw, g, y, null, null, 0.1f, 1e-5f, mean, invStd);
                return GradCheck.weightedSum(y, r);
            };
            GradCheck.check(g + ": dx", x, dx.toHost(), loss, 0.05, 1e-3, 1e-3, 40, rnd);
            GradCheck.check(g + ": ddw", dw, ddw.toHost(), loss, 0.5, 1e-3, 1e-3, 40, rnd);
            GradCheck.check(g + ": dpw", pw, dpw.toHost(), loss, 0.5, 1e-3, 1e-3, 40, rnd);

            // accumulate = true adds the same gradient to what dx held; ddw and dpw always add
            float[] once = dx.toHost(), ddwOnce = ddw.toHost();
            k.reluDwPwBackward(dy, x, dw, pw, g, dx, ddw, dpw, true);
            float[] twice = new float[once.length], ddwTwice = new float[ddwOnce.length];
            for (int i = 0; i < once.length; i++) twice[i] = 2 * once[i];
            for (int i = 0; i < ddwOnce.length; i++) ddwTwice[i] = 2 * ddwOnce[i];
            GradCheck.assertClose(g + ": dx accumulated", twice, dx.toHost(), 1e-6, 1e-6);
            GradCheck.assertClose(g + ": ddw accumulated", ddwTwice, ddw.toHost(), 1e-5, 1e-6);
        }
    }

    /**
     * saveMean, saveInvStd and the running statistics against the batch statistics of y computed here in double:
     * both sides are double sums of the same fp32 values rounded once, so 1e-6 relative (a few ulps) + 1e-7.
     */
    @Test
    void statisticsAreThoseOfTheOutput() {
        Random rnd = new Random(5);
        ConvGeom g = new ConvGeom(3, 2, 2, 2);
        int n = 3, c = 5, h = 9, w = 11, cout = 6, ho = g.outSize(h), wo = g.outSize(w), plane = ho * wo;
        float momentum = 0.1f, eps = 1e-5f;
        Tensor x = tensor(randn(rnd, n * c * h * w), n, c, h, w), dw = tensor(randn(rnd, c * 9), c, 1, 3, 3);
        Tensor pw = tensor(randn(rnd, cout * c), cout, c, 1, 1), y = backend.allocate(n, cout, ho, wo);
        float[] rm0 = randn(rnd, cout), rv0 = new float[cout];
        java.util.Arrays.fill(rv0, 2f);
        Tensor rm = tensor(rm0, cout), rv = tensor(rv0, cout), mean = backend.allocate(cout), invStd = backend.allocate(cout);
        k.reluDwPwForward(x, dw, pw, g, y, rm, rv, momentum, eps, mean, invStd);
        float[] yh = y.toHost();
        double[] em = new double[cout], ei = new double[cout], erm = new double[cout], erv = new double[cout];
        for (int ch = 0; ch < cout; ch++) {
            double s = 0, sq = 0, m = (double) n * plane;
            for (int img = 0; img < n; img++) for (int p = 0; p < plane; p++) s += yh[(img * cout + ch) * plane + p];
            em[ch] = s / m;
            for (int img = 0; img < n; img++) for (int p = 0; p < plane; p++) {
                double d = yh[(img * cout + ch) * plane + p] - em[ch];
                sq += d * d;
            }
            ei[ch] = 1 / Math.sqrt(sq / m + eps);
            erm[ch] = (1 - momentum) * rm0[ch] + momentum * em[ch];
            erv[ch] = (1 - momentum) * rv0[ch] + momentum * sq / (m - 1);
        }
        GradCheck.assertClose("saveMean", em, mean.toHost(), 1e-7, 1e-6);
        GradCheck.assertClose("saveInvStd", ei, invStd.toHost(), 1e-7, 1e-6);
        GradCheck.assertClose("runningMean", erm, rm.toHost(), 1e-7, 1e-6);
        GradCheck.assertClose("runningVar", erv, rv.toHost(), 1e-7, 1e-6);
    }

    /** y = sum_i w_i * xhat_i against the same sum computed here in double: fp32 roundings only, 1e-6 + 1e-6. */
    @Test
    void bnWeightedSumIsTheWeightedSumOfNormalisedInputs() {
        Random rnd = new Random(7);
        int n = 2, c = 3, plane = 20;
        float[][] x = {randn(rnd, n * c * plane), randn(rnd, n * c * plane)};
        float[] m = randn(rnd, c), s = {0.5f, 1.25f, 2f}, w = {0.7f, -0.4f};
        Tensor[] xs = {tensor(x[0], n, c, 4, 5), tensor(x[1], n, c, 4, 5)};
        Tensor y = backend.allocate(n, c, 4, 5);
        k.bnWeightedSum(xs, new Tensor[]{tensor(m, c), null}, new Tensor[]{tensor(s, c), null}, TermWeights.of(w), y, false);
        double[] expected = new double[n * c * plane];
        for (int e = 0; e < expected.length; e++) {
            int ch = e / plane % c;
            expected[e] = w[0] * (x[0][e] - m[ch]) * s[ch] + w[1] * x[1][e];
        }
        GradCheck.assertClose("bnWeightedSum", expected, y.toHost(), 1e-6, 1e-6);
    }

    /**
     * L = sum(r * node) with node = bnWeightedSum of two inputs normalised with their own batch statistics and one
     * used as it is: bnWeightedSumBackward's dxs against central differences that recompute the statistics (so they
     * check the batch norm's training backward, statistics' dependence on x included), and its weight gradients
     * against differences in the weights (L is linear in them), given as stored weights so that the gradients are
     * added to an accumulator that starts at 0.25 each (it must be added to, not overwritten). Step 1e-2; the objective is smooth; fp32 noise in
     * L (~1e-6) over the step is ~1e-4: tolerance 1e-3 absolute + 1e-3 relative.
     */
    @Test
    void bnWeightedSumBackwardIsTheGradient() {
        Random rnd = new Random(9);
        int n = 2, c = 3, h = 3, w = 4, terms = 3;
        int[] shape = {n, c, h, w};
        Tensor[] xs = new Tensor[terms], means = new Tensor[terms], invStds = new Tensor[terms], dxs = new Tensor[terms];
        for (int t = 0; t < terms; t++) {
            xs[t] = tensor(randn(rnd, n * c * h * w), shape);
            dxs[t] = backend.allocate(shape);
            if (t < 2) { means[t] = backend.allocate(c); invStds[t] = backend.allocate(c); }
        }
        float[] weights = {0.6f, -0.3f, 0.45f}, r = randn(rnd, n * c * h * w);
        Tensor node = backend.allocate(shape), scratch = backend.allocate(shape);
        java.util.function.DoubleSupplier loss = () -> {
            for (int t = 0; t < 2; t++) k.batchNormTrainForward(xs[t], null, null, null, null, 0.1f, 1e-5f, scratch, means[t], invStds[t]);
            k.bnWeightedSum(xs, means, invStds, TermWeights.of(weights), node, false);
            return GradCheck.weightedSum(node, r);
        };
        loss.getAsDouble();
        float[] start = new float[2 * terms];
        for (int t = 0; t < terms; t++) DoublePairs.set(start, t, 0.25);
        Tensor grads = tensor(start, 2 * terms);
        k.bnWeightedSumBackward(tensor(r, shape), xs, means, invStds, TermWeights.stored(tensor(weights, terms), new int[]{0, 1, 2}, grads),
                dxs, false);
        double[] weightGrads = DoublePairs.decode(grads.toHost());
        for (int t = 0; t < terms; t++) weightGrads[t] -= 0.25;
        for (int t = 0; t < terms; t++) GradCheck.check("dxs[" + t + "]", xs[t], dxs[t].toHost(), loss, 1e-2, 1e-3, 1e-3, 72, rnd);
        for (int t = 0; t < terms; t++) {
            float orig = weights[t];
            weights[t] = orig + 0.5f;
            double plus = loss.getAsDouble();
            weights[t] = orig - 0.5f;
            double minus = loss.getAsDouble();
            weights[t] = orig;
            double numeric = (plus - minus) / 1.0;
            if (Math.abs(numeric - weightGrads[t]) > 1e-3 + 1e-3 * Math.abs(numeric)) {
                org.junit.jupiter.api.Assertions.fail("weight gradient " + t + ": numeric " + numeric + ", analytic " + weightGrads[t]);
            }
        }
    }
}
