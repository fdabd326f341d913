package org.proxynas.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conformance of the optimiser steps against values worked out by hand from PyTorch's update rules.
 *
 * <p>Tolerance: 1e-6 relative plus 1e-7 absolute. The kernels update in fp32; each step is a handful of
 * roundings (about 1e-7 relative each), and the hand values below are exact decimals (or doubles).
 */
public abstract class OptimizerConformance extends KernelSuite {
    private static final double ATOL = 1e-7, RTOL = 1e-6;
    /**
     * Second-moment tolerance: betas are fp32 at the interface and 0.999f = 0.99900001287, so 1 - beta2 is
     * 1.3e-5 (relative) below 0.001 and v is off by as much. The bias correction uses the same beta2, so p is not.
     */
    private static final double V_RTOL = 2e-5;

    private Tensor vec(float... values) { return backend.fromHost(values, values.length); }

    // ---- gradient-norm clip --------------------------------------------------------------------------------

    @Test
    void clipGradNormByHand() {
        // grads (3, 4) and (12): the squares add to 169 exactly in any order, so the norm is 13 on every backend
        // and the coefficient (float) (6.5 / (13 + 1e-6)) is the same bits; each product is rounded once
        Tensor a = vec(3f, 4f), b = vec(12f);
        k.clipGradNorm(List.of(a, b), 6.5);
        float coef = (float) (6.5 / (13 + 1e-6));
        assertArrayEquals(new float[]{3f * coef, 4f * coef}, a.toHost(), "clipped grads[0]");
        assertArrayEquals(new float[]{12f * coef}, b.toHost(), "clipped grads[1]");
        Tensor c = vec(3f, 4f), d = vec(12f);
        k.clipGradNorm(List.of(c, d), 13.5);
        assertArrayEquals(new float[]{3f, 4f}, c.toHost(), "norm 13 under maxNorm 13.5: unchanged");
        k.clipGradNorm(List.of(c, d), Double.POSITIVE_INFINITY);
        assertArrayEquals(new float[]{12f}, d.toHost(), "infinite maxNorm: unchanged");
    }

    @Test
    void clipGradNormOverManyBlocksMatchesADirectSum() {
        // sizes spanning one element to many blocks; the norm is summed in double in any fixed order: relative
        // error below (n - 1) 2^-53 = 1e-11 here, so the coefficient is within one float ulp of the direct one and
        // each clipped value within 2^-22 relative; RTOL (1e-6) covers it
        Random rnd = new Random(5);
        int[] sizes = {1, 5000, 70_001, 3};
        List<Tensor> grads = new java.util.ArrayList<>();
        double sq = 0;
        float[][] host = new float[sizes.length][];
        for (int t = 0; t < sizes.length; t++) {
            host[t] = new float[sizes[t]];
            for (int i = 0; i < sizes[t]; i++) {
                host[t][i] = (float) rnd.nextGaussian();
                sq += (double) host[t][i] * host[t][i];
            }
            grads.add(vec(host[t]));
        }
        double maxNorm = Math.sqrt(sq) / 2;
        k.clipGradNorm(grads, maxNorm);
        double coef = maxNorm / (Math.sqrt(sq) + 1e-6);
        for (int t = 0; t < sizes.length; t++) {
            double[] expected = new double[sizes[t]];
            for (int i = 0; i < sizes[t]; i++) expected[i] = host[t][i] * coef;
            GradCheck.assertClose("clipped grads[" + t + "]", expected, grads.get(t).toHost(), 0, RTOL);
        }
    }

    @Test
    void clipGradNormRejectsBadArguments() {
        assertRejected("grads", () -> k.clipGradNorm(List.of(), 1));
        assertRejected("maxNorm", () -> k.clipGradNorm(List.of(vec(1f)), 0));
        assertRejected("maxNorm", () -> k.clipGradNorm(List.of(vec(1f)), Double.NaN));
    }

    // ---- SGD -----------------------------------------------------------------------------------------------

    @Test
    void sgdTwoStepsByHand() {
        // lr 0.1, momentum 0.9, weight decay 0.01; p = (1, -2, 0.5).
        Tensor p = vec(1f, -2f, 0.5f), buf = vec(0f, 0f, 0f);
        // Step 1, g = (0.5, -0.25, 0): d = g + 0.01 p = (0.51, -0.27, 0.005); buf = d;
        //   p -= 0.1 buf -> (0.949, -1.973, 0.4995).
        k.sgdStep(p, vec(0.5f, -0.25f, 0f), buf, 0.1f, 0.9f, 0.01f);
        GradCheck.assertClose("sgd step 1 buf", new double[]{0.51, -0.27, 0.005}, buf.toHost(), ATOL, RTOL);
        GradCheck.assertClose("sgd step 1 p", new double[]{0.949, -1.973, 0.4995}, p.toHost(), ATOL, RTOL);
        // Step 2, g = (0.5, 0.5, -1): d = g + 0.01 p = (0.50949, 0.48027, -0.995005);
        //   buf = 0.9 buf + d = (0.96849, 0.23727, -0.990505); p -= 0.1 buf -> (0.852151, -1.996727, 0.5985505).
        k.sgdStep(p, vec(0.5f, 0.5f, -1f), buf, 0.1f, 0.9f, 0.01f);
        GradCheck.assertClose("sgd step 2 buf", new double[]{0.96849, 0.23727, -0.990505}, buf.toHost(), ATOL, RTOL);
        GradCheck.assertClose("sgd step 2 p", new double[]{0.852151, -1.996727, 0.5985505}, p.toHost(), ATOL, RTOL);
    }

    @Test
    void sgdWithoutMomentumIsPlainGradientDescent() {
        // momentum 0, wd 0: p -= lr g exactly as PyTorch (buf just holds d).
        Tensor p = vec(1f, 2f), buf = vec(7f, 7f);
        k.sgdStep(p, vec(0.5f, -1f), buf, 0.25f, 0f, 0f);
        GradCheck.assertClose("sgd p", new double[]{0.875, 2.25}, p.toHost(), 0, 0);
    }

    @Test
    void sgdOnLargeTensorMatchesElementwiseRule() {
        Random rnd = new Random(41);
        int n = 70_000; // several work blocks
        Tensor p = GradCheck.randn(backend, rnd, n), g = GradCheck.randn(backend, rnd, n);
        Tensor buf = GradCheck.randn(backend, rnd, n);
        float[] ph = p.toHost(), gh = g.toHost(), bh = buf.toHost();
        k.sgdStep(p, g, buf, 0.05f, 0.9f, 3e-4f);
        double[] rp = new double[n], rb = new double[n];
        for (int i = 0; i < n; i++) {
            rb[i] = 0.9 * bh[i] + (gh[i] + 3e-4 * ph[i]);
            rp[i] = ph[i] - 0.05 * rb[i];
        }
        GradCheck.assertClose("sgd buf", rb, buf.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("sgd p", rp, p.toHost(), 1e-6, 1e-6);
    }

    // ---- Adam ----------------------------------------------------------------------------------------------

    @Test
    void adamTwoStepsByHand() {
        // lr 0.1, betas (0.9, 0.999), eps 1e-8, no weight decay; p = (1, -2, 0.5).
        Tensor p = vec(1f, -2f, 0.5f), m = vec(0f, 0f, 0f), v = vec(0f, 0f, 0f);
        // Step 1, g = (0.5, -0.25, 0): m = 0.1 g = (0.05, -0.025, 0); v = 0.001 g^2 = (2.5e-4, 6.25e-5, 0).
        //   m^ = m / 0.1 = g, sqrt(v^) = sqrt(v / 0.001) = |g|, so p -= 0.1 g / (|g| + 1e-8):
        //   p = (1 - 0.1 (1 - 2e-8), -2 + 0.1 (1 - 4e-8), 0.5) = (0.900000002, -1.900000004, 0.5);
        //   the third entry has m = 0, so it does not move.
        k.adamStep(p, vec(0.5f, -0.25f, 0f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
        GradCheck.assertClose("adam step 1 m", new double[]{0.05, -0.025, 0}, m.toHost(), ATOL, RTOL);
        GradCheck.assertClose("adam step 1 v", new double[]{2.5e-4, 6.25e-5, 0}, v.toHost(), 1e-12, V_RTOL);
        GradCheck.assertClose("adam step 1 p", new double[]{0.900000002, -1.900000004, 0.5}, p.toHost(), ATOL, RTOL);
        // Step 2, g = (-0.25, 0.5, 0): m = 0.9 m + 0.1 g = (0.02, 0.0275, 0);
        //   v = 0.999 v + 0.001 g^2 = (3.1225e-4, 3.124375e-4, 0); 1 - 0.9^2 = 0.19, 1 - 0.999^2 = 0.001999.
        //   p0 -= 0.1 / 0.19 * 0.02 / (sqrt(3.1225e-4 / 0.001999) + 1e-8) = 0.0105263158 / 0.3952261 -> 0.8733663
        //   p1 -= 0.1 / 0.19 * 0.0275 / (sqrt(3.124375e-4 / 0.001999) + 1e-8) = 0.0144736842 / 0.3953447 -> -1.9366104
        k.adamStep(p, vec(-0.25f, 0.5f, 0f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 2);
        GradCheck.assertClose("adam step 2 m", new double[]{0.02, 0.0275, 0}, m.toHost(), ATOL, RTOL);
        GradCheck.assertClose("adam step 2 v", new double[]{3.1225e-4, 3.124375e-4, 0}, v.toHost(), 1e-12, V_RTOL);
        GradCheck.assertClose("adam step 2 p", new double[]{0.8733663, -1.9366104, 0.5}, p.toHost(), ATOL, RTOL);
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        // As above with weight decay 0.1: g' = g + 0.1 p.
        Tensor p = vec(1f, -2f, 0.5f), m = vec(0f, 0f, 0f), v = vec(0f, 0f, 0f);
        // Step 1: g' = (0.6, -0.45, 0.05); m = (0.06, -0.045, 0.005); v = (3.6e-4, 2.025e-4, 2.5e-6).
        //   Step 1 moves each p by -0.1 sign(g') |g'| / (|g'| + 1e-8) = -0.1 sign(g') (1 - 1e-8 / |g'|):
        //   p = (1 - 0.1 + 1.67e-9, -2 + 0.1 - 2.22e-9, 0.5 - 0.1 + 2e-8) = (0.9000000017, -1.9000000022, 0.40000002).
        k.adamStep(p, vec(0.5f, -0.25f, 0f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 1);
        GradCheck.assertClose("adam wd step 1 m", new double[]{0.06, -0.045, 0.005}, m.toHost(), ATOL, RTOL);
        GradCheck.assertClose("adam wd step 1 p", new double[]{0.9000000017, -1.9000000022, 0.40000002}, p.toHost(), ATOL, RTOL);
        // Step 2, g = (-0.25, 0.5, 0): g' = g + 0.1 p = (-0.16, 0.31, 0.04);
        //   m = 0.9 m + 0.1 g' = (0.038, -0.0095, 0.0085); v = 0.999 v + 0.001 g'^2 = (3.8524e-4, 2.983975e-4, 4.0975e-6);
        //   p -= (0.1 / 0.19) m / (sqrt(v / 0.001999) + 1e-8):
        //   p0 = 0.9 - 0.0200000 / 0.4389989 = 0.8544414; p1 = -1.9 + 0.0050000 / 0.3863608 = -1.8870587;
        //   p2 = 0.4 - 0.0044737 / 0.0452742 = 0.3011875.
        k.adamStep(p, vec(-0.25f, 0.5f, 0f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 2);
        GradCheck.assertClose("adam wd step 2 m", new double[]{0.038, -0.0095, 0.0085}, m.toHost(), ATOL, RTOL);
        GradCheck.assertClose("adam wd step 2 v", new double[]{3.8524e-4, 2.983975e-4, 4.0975e-6}, v.toHost(), 1e-12, V_RTOL);
        // p2's second step divides by sqrt(v^) ~ 0.045 and so amplifies fp32 rounding of m and v: 1e-6 absolute.
        GradCheck.assertClose("adam wd step 2 p", new double[]{0.8544414, -1.8870587, 0.3011875}, p.toHost(), 1e-6, RTOL);
    }

    // ---- validation ----------------------------------------------------------------------------------------

    @Test
    void optimisersRejectBadArguments() {
        Tensor p = vec(1f, 2f), g = vec(0f, 0f), a = vec(0f, 0f), b = vec(0f, 0f);
        assertRejected("lr", () -> k.sgdStep(p, g, a, -0.1f, 0.9f, 0f));
        assertRejected("momentum", () -> k.sgdStep(p, g, a, 0.1f, -0.9f, 0f));
        assertRejected("weightDecay", () -> k.sgdStep(p, g, a, 0.1f, 0.9f, -1f));
        assertRejected("momentumBuf", () -> k.sgdStep(p, g, vec(0f), 0.1f, 0.9f, 0f));
        assertRejected("grad", () -> k.sgdStep(p, vec(0f, 0f, 0f), a, 0.1f, 0.9f, 0f));
        assertRejected("lr", () -> k.adamStep(p, g, a, b, Float.NaN, 0.9f, 0.999f, 1e-8f, 0f, 1));
        assertRejected("beta1", () -> k.adamStep(p, g, a, b, 0.1f, 1f, 0.999f, 1e-8f, 0f, 1));
        assertRejected("beta2", () -> k.adamStep(p, g, a, b, 0.1f, 0.9f, -0.1f, 1e-8f, 0f, 1));
        assertRejected("eps", () -> k.adamStep(p, g, a, b, 0.1f, 0.9f, 0.999f, 0f, 0f, 1));
        assertRejected("weightDecay", () -> k.adamStep(p, g, a, b, 0.1f, 0.9f, 0.999f, 1e-8f, -1f, 1));
        assertRejected("step", () -> k.adamStep(p, g, a, b, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0));
        assertRejected("v", () -> k.adamStep(p, g, a, vec(0f), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        // Nothing was modified by the rejected calls.
        assertArrayEquals(new float[]{1f, 2f}, p.toHost());
    }
}
