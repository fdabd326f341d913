package org.proxynas.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conformance of the elementwise kernels, reductions, dropout and channel copies. Forward results are compared
 * with double references computed here; every backward with central finite differences of its forward.
 *
 * <p>Tolerances: single-rounding maps (relu, fill, axpy, mul, ...) get 1e-6 relative (one fp32 ulp is 6e-8, and
 * a GPU may contract a*x+y into one FMA); sigmoid gets 1e-6 absolute (exp differs by a few ulp across libms).
 * Gradient checks of linear maps use h = 1e-2, atol 1e-3, rtol 1e-3: the difference quotient is exact but for
 * fp32 rounding of an O(10) objective (about 1e-6 / 2e-2 = 5e-5); smooth nonlinear maps get rtol 1e-2 for the
 * O(h^2) truncation error.
 */
public abstract class ElementwiseConformance extends KernelSuite {
    // ---- helpers -------------------------------------------------------------------------------------------

    private Tensor copyOf(Tensor t) {
        Tensor c = backend.allocateLike(t);
        backend.copy(t, c);
        return c;
    }

    // ---- relu ----------------------------------------------------------------------------------------------

    @Test
    void reluMatchesReferenceAndWorksInPlace() {
        Random rnd = new Random(1);
        // 40000 elements: more than one work block on blocked backends.
        Tensor x = randn(rnd, 10, 4, 20, 50);
        float[] xh = x.toHost();
        xh[0] = 0f;
        xh[1] = -0f;
        x.fromHost(xh);
        Tensor y = backend.allocateLike(x);
        k.relu(x, y);
        double[] ref = new double[xh.length];
        for (int i = 0; i < xh.length; i++) ref[i] = Math.max(xh[i], 0.0);
        GradCheck.assertClose("relu", ref, y.toHost(), 0, 0); // exact: a max involves no rounding
        k.relu(x, x);
        GradCheck.assertClose("relu in place", ref, x.toHost(), 0, 0);
    }

    @Test
    void reluBackwardMasksAndAccumulates() {
        Random rnd = new Random(2);
        Tensor x = randn(rnd, 3, 5, 4, 4);
        Tensor y = backend.allocateLike(x);
        k.relu(x, y);
        Tensor dy = randn(rnd, 3, 5, 4, 4);
        Tensor dx = randn(rnd, 3, 5, 4, 4);
        float[] before = dx.toHost(), xh = x.toHost(), dyh = dy.toHost();
        k.reluBackward(y, dy, dx, true);
        double[] ref = new double[xh.length];
        for (int i = 0; i < ref.length; i++) ref[i] = before[i] + (xh[i] > 0 ? dyh[i] : 0);
        GradCheck.assertClose("reluBackward accumulate", ref, dx.toHost(), 1e-6, 1e-6);
        k.reluBackward(y, dy, dx, false);
        for (int i = 0; i < ref.length; i++) ref[i] = xh[i] > 0 ? dyh[i] : 0;
        GradCheck.assertClose("reluBackward overwrite", ref, dx.toHost(), 0, 0);
    }

    @Test
    void reluGradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        int n = 2 * 3 * 5 * 5;
        float[] xh = new float[n];
        // Keep |x| >= 0.1 so a step of h = 1e-2 never crosses the kink at 0.
        for (int i = 0; i < n; i++) xh[i] = (float) ((0.1 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1));
        Tensor x = backend.fromHost(xh, 2, 3, 5, 5);
        Tensor y = backend.allocateLike(x);
        float[] r = SpatialReference.randn(rnd, n);
        Tensor dy = backend.fromHost(r, 2, 3, 5, 5);
        Tensor dx = backend.allocateLike(x);
        k.relu(x, y);
        k.reluBackward(y, dy, dx, false);
        GradCheck.check("relu", x, dx.toHost(), () -> { k.relu(x, y); return GradCheck.weightedSum(y, r); },
                1e-2, 1e-3, 1e-3, n, rnd);
    }

    // ---- sigmoid -------------------------------------------------------------------------------------------

    @Test
    void sigmoidMatchesReferenceAndSaturates() {
        Random rnd = new Random(4);
        Tensor x = randn(rnd, 40000);
        float[] xh = x.toHost();
        xh[0] = 100f;
        xh[1] = -100f;
        xh[2] = 0f;
        x.fromHost(xh);
        Tensor y = backend.allocateLike(x);
        k.sigmoid(x, y);
        double[] ref = new double[xh.length];
        for (int i = 0; i < xh.length; i++) ref[i] = 1 / (1 + Math.exp(-(double) xh[i]));
        GradCheck.assertClose("sigmoid", ref, y.toHost(), 1e-6, 0);
        float[] yh = y.toHost();
        assertEquals(1f, yh[0]);
        assertEquals(0.5f, yh[2]);
        assertTrue(yh[1] >= 0 && yh[1] < 1e-30, "sigmoid(-100) should be ~0, got " + yh[1]);
    }

    @Test
    void sigmoidGradientMatchesFiniteDifferences() {
        Random rnd = new Random(5);
        Tensor x = randn(rnd, 6, 7);
        Tensor y = backend.allocateLike(x);
        float[] r = SpatialReference.randn(rnd, 42);
        Tensor dy = backend.fromHost(r, 6, 7);
        Tensor dx = randn(rnd, 6, 7);
        float[] before = dx.toHost();
        k.sigmoid(x, y);
        k.sigmoidBackward(y, dy, dx, false);
        float[] analytic = dx.toHost();
        GradCheck.check("sigmoid", x, analytic, () -> { k.sigmoid(x, y); return GradCheck.weightedSum(y, r); },
                1e-2, 1e-4, 1e-2, 42, rnd);
        // accumulate = true adds the same gradient to what dx held.
        dx.fromHost(before);
        k.sigmoid(x, y);
        k.sigmoidBackward(y, dy, dx, true);
        float[] sum = new float[42];
        for (int i = 0; i < 42; i++) sum[i] = before[i] + analytic[i];
        GradCheck.assertClose("sigmoidBackward accumulate", sum, dx.toHost(), 1e-6, 1e-6);
    }

    // ---- fill, axpy, scale, mul ----------------------------------------------------------------------------

    @Test
    void fillAxpyScale() {
        Random rnd = new Random(6);
        Tensor x = randn(rnd, 3, 50, 200);
        Tensor y = randn(rnd, 3, 50, 200);
        float[] xh = x.toHost(), yh = y.toHost();
        k.axpy(-0.75f, x, y);
        double[] ref = new double[xh.length];
        for (int i = 0; i < ref.length; i++) ref[i] = yh[i] + (-0.75) * xh[i];
        GradCheck.assertClose("axpy", ref, y.toHost(), 1e-6, 1e-6);
        k.scale(x, 2.5f);
        for (int i = 0; i < ref.length; i++) ref[i] = 2.5 * xh[i];
        GradCheck.assertClose("scale", ref, x.toHost(), 0, 1e-7);
        k.fill(x, 3.25f);
        for (float v : x.toHost()) assertEquals(3.25f, v);
    }

    @Test
    void mulForwardAccumulateAndGradient() {
        Random rnd = new Random(7);
        Tensor a = randn(rnd, 4, 3, 2, 2);
        Tensor b = randn(rnd, 4, 3, 2, 2);
        Tensor y = randn(rnd, 4, 3, 2, 2);
        float[] ah = a.toHost(), bh = b.toHost(), y0 = y.toHost();
        k.mul(a, b, y, true);
        double[] ref = new double[ah.length];
        for (int i = 0; i < ref.length; i++) ref[i] = y0[i] + (double) ah[i] * bh[i];
        GradCheck.assertClose("mul accumulate", ref, y.toHost(), 1e-6, 1e-6);
        k.mul(a, b, y, false);
        for (int i = 0; i < ref.length; i++) ref[i] = (double) ah[i] * bh[i];
        GradCheck.assertClose("mul", ref, y.toHost(), 0, 1e-6);

        // d(sum r * a * b)/da = r * b, computed with mul itself (the layer's backward).
        float[] r = SpatialReference.randn(rnd, ah.length);
        Tensor dy = backend.fromHost(r, 4, 3, 2, 2);
        Tensor da = backend.allocateLike(a);
        k.mul(dy, b, da, false);
        GradCheck.check("mul da", a, da.toHost(), () -> { k.mul(a, b, y, false); return GradCheck.weightedSum(y, r); },
                1e-2, 1e-3, 1e-3, ah.length, rnd);
    }

    // ---- weighted sums -------------------------------------------------------------------------------------

    @Test
    void weightedSumForwardAndAccumulate() {
        Random rnd = new Random(8);
        int[] shape = {2, 8, 40, 40}; // 25600 elements: more than one work block
        Tensor[] xs = {randn(rnd, shape), randn(rnd, shape), randn(rnd, shape)};
        float[] w = {0.5f, -1.25f, 2f};
        Tensor y = randn(rnd, shape);
        float[] y0 = y.toHost();
        float[][] xh = {xs[0].toHost(), xs[1].toHost(), xs[2].toHost()};
        k.weightedSum(xs, w, y, false);
        double[] ref = new double[y0.length];
        for (int i = 0; i < ref.length; i++) ref[i] = 0.5 * xh[0][i] - 1.25 * xh[1][i] + 2.0 * xh[2][i];
        GradCheck.assertClose("weightedSum", ref, y.toHost(), 1e-5, 1e-5); // three roundings
        y.fromHost(y0);
        k.weightedSum(xs, w, y, true);
        for (int i = 0; i < ref.length; i++) ref[i] += y0[i];
        GradCheck.assertClose("weightedSum accumulate", ref, y.toHost(), 1e-5, 1e-5);
    }

    @Test
    void weightedSumAllowsOutputToBeAnInput() {
        Random rnd = new Random(9);
        Tensor a = randn(rnd, 3, 7), b = randn(rnd, 3, 7);
        float[] ah = a.toHost(), bh = b.toHost();
        k.weightedSum(new Tensor[]{b, a}, new float[]{2f, 3f}, a, false); // a := 2b + 3a
        double[] ref = new double[ah.length];
        for (int i = 0; i < ref.length; i++) ref[i] = 2.0 * bh[i] + 3.0 * ah[i];
        GradCheck.assertClose("weightedSum aliased", ref, a.toHost(), 1e-6, 1e-6);
    }

    @Test
    void weightedSumGradients() {
        Random rnd = new Random(10);
        Tensor[] xs = {randn(rnd, 2, 3, 3, 3), randn(rnd, 2, 3, 3, 3)};
        Tensor weights = backend.fromHost(new float[]{0.3f, -0.7f}, 2);
        Tensor y = backend.allocateLike(xs[0]);
        float[] r = SpatialReference.randn(rnd, (int) y.size());
        Tensor dy = backend.fromHost(r, 2, 3, 3, 3);
        java.util.function.DoubleSupplier objective = () -> {
            k.weightedSum(xs, weights.toHost(), y, false);
            return GradCheck.weightedSum(y, r);
        };
        // dL/dxs[1] = w[1] * dy: weightedSum of one term, as a layer's backward does.
        Tensor dx1 = backend.allocateLike(xs[1]);
        k.weightedSum(new Tensor[]{dy}, new float[]{-0.7f}, dx1, false);
        GradCheck.check("weightedSum dxs[1]", xs[1], dx1.toHost(), objective, 1e-2, 1e-3, 1e-3, 54, rnd);
        // dL/dw[i] = <dy, xs[i]>: dot.
        float[] dw = {(float) k.dot(dy, xs[0]), (float) k.dot(dy, xs[1])};
        GradCheck.check("weightedSum dweights", weights, dw, objective, 1e-2, 1e-3, 1e-3, 2, rnd);
    }

    @Test
    void scaleSamplesForwardAccumulateAndGradient() {
        Random rnd = new Random(11);
        Tensor x = randn(rnd, 3, 4, 5, 5);
        float[] scales = {0f, 1.5f, -2f};
        Tensor y = randn(rnd, 3, 4, 5, 5);
        float[] xh = x.toHost(), y0 = y.toHost();
        k.scaleSamples(x, scales, y, true);
        double[] ref = new double[xh.length];
        for (int i = 0; i < ref.length; i++) ref[i] = y0[i] + scales[i / 100] * (double) xh[i];
        GradCheck.assertClose("scaleSamples accumulate", ref, y.toHost(), 1e-6, 1e-6);
        k.scaleSamples(x, scales, y, false);
        for (int i = 0; i < ref.length; i++) ref[i] = scales[i / 100] * (double) xh[i];
        GradCheck.assertClose("scaleSamples", ref, y.toHost(), 0, 1e-6);

        float[] r = SpatialReference.randn(rnd, xh.length);
        Tensor dy = backend.fromHost(r, 3, 4, 5, 5);
        Tensor dx = backend.allocateLike(x);
        k.scaleSamples(dy, scales, dx, false);
        GradCheck.check("scaleSamples", x, dx.toHost(),
                () -> { k.scaleSamples(x, scales, y, false); return GradCheck.weightedSum(y, r); },
                1e-2, 1e-3, 1e-3, 60, rnd);
    }

    // ---- dropout -------------------------------------------------------------------------------------------

    @Test
    void dropoutMaskValuesFractionAndSeeds() {
        Random rnd = new Random(12);
        int n = 200_000;
        float p = 0.3f;
        Tensor x = randn(rnd, 4, 50_000);
        Tensor y = backend.allocateLike(x), mask = backend.allocateLike(x);
        k.dropout(x, y, mask, p, 42L);
        float[] xh = x.toHost(), yh = y.toHost(), m1 = mask.toHost();
        float keep = 1f / (1f - p);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(m1[i] == 0f || m1[i] == keep, "mask entry " + i + " is " + m1[i]);
            if (m1[i] != 0f) kept++;
            assertEquals(xh[i] * m1[i], yh[i], "y entry " + i);
        }
        // Binomial(n, 0.7): standard deviation sqrt(n p (1-p)) / n = 0.001; allow 5 of them.
        assertEquals(0.7, (double) kept / n, 0.005, "kept fraction");

        Tensor mask2 = backend.allocateLike(x);
        k.dropout(x, y, mask2, p, 42L);
        assertArrayEquals(m1, mask2.toHost(), "same seed must give the same mask");
        k.dropout(x, y, mask2, p, 43L);
        float[] m3 = mask2.toHost();
        int differ = 0;
        for (int i = 0; i < n; i++) if (m1[i] != m3[i]) differ++;
        // Independent masks differ in 2 p (1-p) = 42% of the entries.
        assertTrue(differ > n / 3, "different seeds should give different masks, " + differ + " entries differ");

        // In place, and p = 0 keeps everything with mask 1.
        Tensor z = copyOf(x);
        k.dropout(z, z, mask2, 0f, 7L);
        assertArrayEquals(xh, z.toHost());
        for (float v : mask2.toHost()) assertEquals(1f, v);
    }

    @Test
    void dropoutRejectsBadProbability() {
        Tensor x = backend.allocate(4);
        assertRejected("p", () -> k.dropout(x, x, backend.allocate(4), 1f, 1L));
        assertRejected("p", () -> k.dropout(x, x, backend.allocate(4), -0.1f, 1L));
        assertRejected("mask", () -> k.dropout(x, x, backend.allocate(5), 0.5f, 1L));
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    @Test
    void dotAndSumSquaresMatchDoubleReferenceAndAreDeterministic() {
        Random rnd = new Random(13);
        int n = 100_003; // several blocks and a ragged tail
        Tensor a = randn(rnd, n), b = randn(rnd, n);
        float[] ah = a.toHost(), bh = b.toHost();
        double dotRef = 0, ssRef = 0;
        for (int i = 0; i < n; i++) {
            dotRef += (double) ah[i] * bh[i];
            ssRef += (double) ah[i] * ah[i];
        }
        double dot = k.dot(a, b), ss = k.sumSquares(a);
        // Products of fp32 values are exact in double; only the summation order differs: ~n * 1e-16 relative.
        assertEquals(dotRef, dot, 1e-9 * (Math.abs(dotRef) + n));
        assertEquals(ssRef, ss, 1e-9 * ssRef);
        assertEquals(Double.doubleToLongBits(dot), Double.doubleToLongBits(k.dot(a, b)), "dot must be deterministic");
        assertEquals(Double.doubleToLongBits(ss), Double.doubleToLongBits(k.sumSquares(a)), "sumSquares must be deterministic");
        assertEquals(14.0, k.sumSquares(backend.fromHost(new float[]{1, -2, 3}, 3)), 0);
        assertRejected("b", () -> k.dot(a, backend.allocate(n - 1)));
    }

    // ---- channel copies ------------------------------------------------------------------------------------

    @Test
    void copyChannelsConcatenatesSlicesAndAccumulates() {
        Random rnd = new Random(14);
        Tensor s0 = randn(rnd, 2, 3, 4, 5), s1 = randn(rnd, 2, 2, 4, 5);
        Tensor cat = backend.allocate(2, 5, 4, 5);
        k.copyChannels(s0, 0, cat, 0, 3, false);
        k.copyChannels(s1, 0, cat, 3, 2, false);
        float[] h0 = s0.toHost(), h1 = s1.toHost(), hc = cat.toHost();
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                for (int p = 0; p < 20; p++) {
                    float expected = c < 3 ? h0[(n * 3 + c) * 20 + p] : h1[(n * 2 + c - 3) * 20 + p];
                    assertEquals(expected, hc[(n * 5 + c) * 20 + p], "cat[" + n + "," + c + "," + p + "]");
                }
            }
        }
        // Slice channels 1..3 of cat, then accumulate them back onto channels 2..4.
        Tensor slice = backend.allocate(2, 3, 4, 5);
        k.copyChannels(cat, 1, slice, 0, 3, false);
        float[] hs = slice.toHost();
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 20; p++) assertEquals(hc[(n * 5 + c + 1) * 20 + p], hs[(n * 3 + c) * 20 + p]);
        k.copyChannels(slice, 0, cat, 2, 3, true);
        float[] acc = cat.toHost();
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                for (int p = 0; p < 20; p++) {
                    float expected = hc[(n * 5 + c) * 20 + p] + (c >= 2 ? hc[(n * 5 + c - 1) * 20 + p] : 0f);
                    assertEquals(expected, acc[(n * 5 + c) * 20 + p], "accumulated cat[" + n + "," + c + "," + p + "]");
                }
            }
        }
        // [N, F] rows work too.
        Tensor rows = backend.fromHost(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor col = backend.allocate(2, 1);
        k.copyChannels(rows, 2, col, 0, 1, false);
        assertArrayEquals(new float[]{3, 6}, col.toHost());
    }

    @Test
    void copyChannelsGradient() {
        Random rnd = new Random(15);
        Tensor src = randn(rnd, 2, 4, 3, 3);
        Tensor dst = backend.allocate(2, 6, 3, 3);
        float[] r = SpatialReference.randn(rnd, (int) dst.size());
        Tensor ddst = backend.fromHost(r, 2, 6, 3, 3);
        // Forward: dst[:, 3..5) = src[:, 1..3). Backward: slice ddst back onto dsrc.
        Tensor dsrc = backend.allocateLike(src);
        k.copyChannels(ddst, 3, dsrc, 1, 2, false);
        GradCheck.check("copyChannels", src, dsrc.toHost(), () -> {
            k.fill(dst, 0f);
            k.copyChannels(src, 1, dst, 3, 2, false);
            return GradCheck.weightedSum(dst, r);
        }, 1e-2, 1e-3, 1e-3, 72, rnd);
    }

    @Test
    void copyChannelsRejectsBadArguments() {
        Tensor src = backend.allocate(2, 4, 3, 3), dst = backend.allocate(2, 6, 3, 3);
        assertRejected("srcChannel", () -> k.copyChannels(src, 3, dst, 0, 2, false));
        assertRejected("dstChannel", () -> k.copyChannels(src, 0, dst, 5, 2, false));
        assertRejected("dst", () -> k.copyChannels(src, 0, backend.allocate(2, 6, 3, 4), 0, 2, false));
        assertRejected("channels", () -> k.copyChannels(src, 0, dst, 0, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.copyChannels(dst, 0, dst, 3, 2, false));
        assertEquals("src and dst must not share a buffer", e.getMessage());
    }

    @Test
    void elementwiseRejectsMismatchedShapes() {
        Tensor a = backend.allocate(2, 3), b = backend.allocate(3, 2);
        assertRejected("y", () -> k.relu(a, b));
        assertRejected("dx", () -> k.reluBackward(a, a, b, false));
        assertRejected("b", () -> k.mul(a, b, a, false));
        assertRejected("y", () -> k.axpy(1f, a, b));
        assertRejected("weights", () -> k.weightedSum(new Tensor[]{a, a}, new float[]{1f}, a, false));
        assertRejected("xs[1]", () -> k.weightedSum(new Tensor[]{a, b}, new float[]{1f, 1f}, a, false));
        assertRejected("scales", () -> k.scaleSamples(a, new float[]{1f}, a, false));
        assertRejected("y", () -> k.scaleSamples(a, new float[]{1f, 1f}, b, false));
        assertRejected("dx", () -> k.sigmoidBackward(a, a, b, true));
        assertRejected("dy", () -> k.sigmoidBackward(a, b, a, true));
        assertRejected("y", () -> k.sigmoid(a, b));
    }
}
