package org.proxynas.tensor;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of batch norm (train and eval, forward and backward; [N,C,H,W] and [N,C]; affine and affine-free)
 * against a double-precision reference, hand-computed running statistics, and finite differences.
 *
 * <p>Tolerances. Outputs are O(1) (normalised values, their gradients): the kernel rounds each through a few
 * fp32 operations (about 1e-7 relative), and its statistics come from the same data, so 1e-5 absolute plus
 * 1e-4 relative is generous, while a wrong statistic fails by far more (using the unbiased instead of the
 * biased variance scales every value by sqrt(M/(M-1)), 0.3% for the largest M here, and eps is 1e-5 of
 * variances near 4). Running statistics are single fp32 roundings of a double formula: 1e-6. Finite
 * differences: y is linear in gamma, beta and (in eval mode) x, so those use h = 0.5 with 1e-3 tolerance
 * (noise in L about 1e-5); in training y depends on x through the batch statistics, so h = 1e-2 on inputs of
 * scale 2: the O(h^2) truncation term is below 1e-6 and fp32 noise in L over 2h is about 1e-4, under
 * atol = rtol = 1e-3.
 */
public abstract class NormConformance extends KernelSuite {
    private static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    private static final double ATOL = 1e-5, RTOL = 1e-4;

    /** A batch-norm configuration: x's shape, and whether it has gamma and beta. */
    record Case(int[] shape, boolean affine) {
        int n() { return shape[0]; }
        int c() { return shape[1]; }
        int plane() { return shape.length == 4 ? shape[2] * shape[3] : 1; }
        int size() { return n() * c() * plane(); }
        int channelOf(int i) { return (i / plane()) % c(); }
        /** A seed that is the same every run (a record's hashCode of an array field is not). */
        long seed() { return 31L * java.util.Arrays.hashCode(shape) + (affine ? 1 : 0); }

        @Override public String toString() { return java.util.Arrays.toString(shape) + (affine ? " affine" : " affine-free"); }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(new int[] {2, 3, 7, 9}, true),
                new Case(new int[] {2, 3, 7, 9}, false),
                new Case(new int[] {3, 4, 1, 1}, true),
                new Case(new int[] {6, 5}, true),          // BatchNorm1d
                new Case(new int[] {6, 5}, false),
                new Case(new int[] {4, 16, 16, 16}, true)); // longer planes (vectorised paths)
    }

    /** Per-channel batch statistics in double: mean and biased variance. */
    private record Stats(double[] mean, double[] var) {
        static Stats of(Case c, float[] x) {
            double[] mean = new double[c.c()], var = new double[c.c()];
            int m = c.n() * c.plane();
            for (int i = 0; i < x.length; i++) mean[c.channelOf(i)] += x[i];
            for (int ch = 0; ch < c.c(); ch++) mean[ch] /= m;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - mean[c.channelOf(i)];
                var[c.channelOf(i)] += d * d;
            }
            for (int ch = 0; ch < c.c(); ch++) var[ch] /= m;
            return new Stats(mean, var);
        }

        double invStd(int ch) { return 1 / Math.sqrt(var[ch] + EPS); }
    }

    private static float[] scaled(Random rnd, int size, float offset, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = offset + scale * (float) rnd.nextGaussian();
        return a;
    }

    private Tensor vector(float[] v) { return v == null ? null : backend.fromHost(v, v.length); }

    // ---- training forward ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainForwardMatchesReference(Case c) {
        Random rnd = new Random(c.seed());
        float[] x = scaled(rnd, c.size(), 3, 2);   // mean 3, std 2: a wrong mean or variance shows
        float[] g = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        float[] b = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        Tensor y = backend.allocate(c.shape()), mean = backend.allocate(c.c()), inv = backend.allocate(c.c());
        SpatialReference.fill(y, Float.NaN);
        k.batchNormTrainForward(backend.fromHost(x, c.shape()), vector(g), vector(b), null, null, MOMENTUM, EPS,
                y, mean, inv);
        Stats s = Stats.of(c, x);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = c.channelOf(i);
            expected[i] = (x[i] - s.mean()[ch]) * s.invStd(ch) * (g == null ? 1 : g[ch]) + (b == null ? 0 : b[ch]);
        }
        GradCheck.assertClose(c + ": y", expected, y.toHost(), ATOL, RTOL);
        double[] invStd = new double[c.c()];
        for (int ch = 0; ch < c.c(); ch++) invStd[ch] = s.invStd(ch);
        GradCheck.assertClose(c + ": saveMean", s.mean(), mean.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose(c + ": saveInvStd", invStd, inv.toHost(), 1e-6, 1e-6);
    }

    /**
     * Running statistics by hand, x [2,2,1,2]: channel 0 holds {1,2,3,4} (mean 2.5, biased variance 1.25,
     * unbiased 5/3), channel 1 holds {0,0,0,4} (mean 1, biased 3, unbiased 4). A second step doubles x:
     * means 5 and 2, unbiased variances 20/3 and 16. Momentum 0.1, starting from mean 0, variance 1.
     */
    @Test
    void runningStatisticsByHand() {
        Tensor x1 = backend.fromHost(new float[] {1, 2, 0, 0, 3, 4, 0, 4}, 2, 2, 1, 2);
        Tensor x2 = backend.fromHost(new float[] {2, 4, 0, 0, 6, 8, 0, 8}, 2, 2, 1, 2);
        Tensor rm = backend.fromHost(new float[] {0, 0}, 2), rv = backend.fromHost(new float[] {1, 1}, 2);
        Tensor y = backend.allocate(2, 2, 1, 2), mean = backend.allocate(2), inv = backend.allocate(2);

        k.batchNormTrainForward(x1, null, null, rm, rv, MOMENTUM, EPS, y, mean, inv);
        GradCheck.assertClose("mean after step 1", new double[] {0.25, 0.1}, rm.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("var after step 1", new double[] {0.9 + 0.1 * 5 / 3.0, 0.9 + 0.1 * 4}, rv.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("saveMean", new double[] {2.5, 1}, mean.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("saveInvStd", new double[] {1 / Math.sqrt(1.25 + 1e-5), 1 / Math.sqrt(3 + 1e-5)},
                inv.toHost(), 1e-6, 1e-6);
        // channel 1 normalised by hand: (0 - 1) / sqrt(3) three times, (4 - 1) / sqrt(3) once
        double a = 1 / Math.sqrt(3 + 1e-5);
        float[] yh = y.toHost();
        GradCheck.assertClose("y channel 1", new double[] {-a, -a, -a, 3 * a}, new float[] {yh[2], yh[3], yh[6], yh[7]}, 1e-6, 1e-6);

        k.batchNormTrainForward(x2, null, null, rm, rv, MOMENTUM, EPS, y, mean, inv);
        GradCheck.assertClose("mean after step 2", new double[] {0.9 * 0.25 + 0.5, 0.9 * 0.1 + 0.2}, rm.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("var after step 2",
                new double[] {0.9 * (0.9 + 0.1 * 5 / 3.0) + 0.1 * 20 / 3.0, 0.9 * (0.9 + 0.4) + 0.1 * 16},
                rv.toHost(), 1e-6, 1e-6);
    }

    /** Two steps on random data against the update formula with the unbiased variance (M = N*H*W = 60). */
    @Test
    void runningStatisticsTwoSteps() {
        Case c = new Case(new int[] {3, 2, 4, 5}, true);
        Random rnd = new Random(21);
        float[] rm0 = SpatialReference.randn(rnd, 2), rv0 = {0.5f, 2f};
        Tensor rm = vector(rm0.clone()), rv = vector(rv0.clone());
        Tensor gamma = vector(SpatialReference.randn(rnd, 2)), beta = vector(SpatialReference.randn(rnd, 2));
        Tensor y = backend.allocate(c.shape()), mean = backend.allocate(2), inv = backend.allocate(2);
        double[] em = {rm0[0], rm0[1]}, ev = {rv0[0], rv0[1]};
        int m = 60;
        for (int step = 1; step <= 2; step++) {
            float[] x = scaled(rnd, c.size(), step, 1 + step);
            k.batchNormTrainForward(backend.fromHost(x, c.shape()), gamma, beta, rm, rv, MOMENTUM, EPS, y, mean, inv);
            Stats s = Stats.of(c, x);
            for (int ch = 0; ch < 2; ch++) {
                em[ch] = 0.9 * em[ch] + 0.1 * s.mean()[ch];
                ev[ch] = 0.9 * ev[ch] + 0.1 * s.var()[ch] * m / (m - 1);
            }
            GradCheck.assertClose("running mean after step " + step, em, rm.toHost(), 1e-6, 1e-6);
            GradCheck.assertClose("running var after step " + step, ev, rv.toHost(), 1e-6, 1e-6);
        }
    }

    // ---- eval forward ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evalForwardMatchesReference(Case c) {
        Random rnd = new Random(c.seed() + 1);
        float[] x = scaled(rnd, c.size(), 1, 2);
        float[] g = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        float[] b = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        float[] rm = SpatialReference.randn(rnd, c.c()), rv = scaled(rnd, c.c(), 0, 1);
        for (int i = 0; i < rv.length; i++) rv[i] = 0.2f + rv[i] * rv[i];
        Tensor y = backend.allocate(c.shape());
        k.batchNormEvalForward(backend.fromHost(x, c.shape()), vector(g), vector(b), vector(rm), vector(rv), EPS, y);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = c.channelOf(i);
            expected[i] = (x[i] - rm[ch]) / Math.sqrt(rv[ch] + (double) EPS) * (g == null ? 1 : g[ch]) + (b == null ? 0 : b[ch]);
        }
        GradCheck.assertClose(c + ": eval y", expected, y.toHost(), ATOL, RTOL);
    }

    // ---- backward -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainBackwardMatchesReferenceAndFiniteDifferences(Case c) {
        Random rnd = new Random(c.seed() + 2);
        float[] x = scaled(rnd, c.size(), -1, 2), r = SpatialReference.randn(rnd, c.size());
        float[] g = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        float[] b = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        Tensor xt = backend.fromHost(x, c.shape()), gt = vector(g), bt = vector(b), rt = backend.fromHost(r, c.shape());
        Tensor y = backend.allocate(c.shape()), mean = backend.allocate(c.c()), inv = backend.allocate(c.c());
        Tensor dx = backend.allocate(c.shape());
        Tensor dg = c.affine() ? backend.allocate(c.c()) : null, db = c.affine() ? backend.allocate(c.c()) : null;
        k.batchNormTrainForward(xt, gt, bt, null, null, MOMENTUM, EPS, y, mean, inv);
        SpatialReference.fill(dx, Float.NaN);
        k.batchNormBackward(rt, xt, gt, mean, inv, dx, dg, db, false);

        // reference: dx = g * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)); dgamma = sum dy*xhat; dbeta = sum dy
        Stats s = Stats.of(c, x);
        int m = c.n() * c.plane();
        double[] sumDy = new double[c.c()], sumDyXhat = new double[c.c()];
        for (int i = 0; i < x.length; i++) {
            int ch = c.channelOf(i);
            sumDy[ch] += r[i];
            sumDyXhat[ch] += r[i] * (x[i] - s.mean()[ch]) * s.invStd(ch);
        }
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = c.channelOf(i);
            double xhat = (x[i] - s.mean()[ch]) * s.invStd(ch);
            expected[i] = (g == null ? 1 : g[ch]) * s.invStd(ch) * (r[i] - sumDy[ch] / m - xhat * sumDyXhat[ch] / m);
        }
        float[] analytic = dx.toHost();
        GradCheck.assertClose(c + ": dx", expected, analytic, ATOL, RTOL);
        if (c.affine()) {
            GradCheck.assertClose(c + ": dgamma", sumDyXhat, dg.toHost(), ATOL, RTOL);
            GradCheck.assertClose(c + ": dbeta", sumDy, db.toHost(), ATOL, RTOL);
        }

        if (c.size() > 1000) return;   // finite differences on the small cases only (each probe is two passes)
        GradCheck.check(c + ": dx", xt, analytic, () -> {
            k.batchNormTrainForward(xt, gt, bt, null, null, MOMENTUM, EPS, y, mean, inv);
            return GradCheck.weightedSum(y, r);
        }, 1e-2, 1e-3, 1e-3, 30, rnd);
        if (c.affine()) {
            GradCheck.check(c + ": dgamma", gt, dg.toHost(), () -> {
                k.batchNormTrainForward(xt, gt, bt, null, null, MOMENTUM, EPS, y, mean, inv);
                return GradCheck.weightedSum(y, r);
            }, 0.5, 1e-3, 1e-3, 30, rnd);
            GradCheck.check(c + ": dbeta", bt, db.toHost(), () -> {
                k.batchNormTrainForward(xt, gt, bt, null, null, MOMENTUM, EPS, y, mean, inv);
                return GradCheck.weightedSum(y, r);
            }, 0.5, 1e-3, 1e-3, 30, rnd);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evalBackwardMatchesReferenceAndFiniteDifferences(Case c) {
        Random rnd = new Random(c.seed() + 3);
        float[] x = scaled(rnd, c.size(), 0, 2), r = SpatialReference.randn(rnd, c.size());
        float[] g = c.affine() ? SpatialReference.randn(rnd, c.c()) : null;
        float[] rm = SpatialReference.randn(rnd, c.c()), rv = new float[c.c()];
        for (int i = 0; i < rv.length; i++) rv[i] = 0.5f + rnd.nextFloat();
        Tensor xt = backend.fromHost(x, c.shape()), gt = vector(g), rmt = vector(rm), rvt = vector(rv);
        Tensor y = backend.allocate(c.shape()), dx = backend.allocate(c.shape());
        k.batchNormEvalBackward(backend.fromHost(r, c.shape()), gt, rvt, EPS, dx, false);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = c.channelOf(i);
            expected[i] = r[i] * (g == null ? 1 : g[ch]) / Math.sqrt(rv[ch] + (double) EPS);
        }
        float[] analytic = dx.toHost();
        GradCheck.assertClose(c + ": eval dx", expected, analytic, ATOL, RTOL);
        GradCheck.check(c + ": eval dx", xt, analytic, () -> {
            k.batchNormEvalForward(xt, gt, null, rmt, rvt, EPS, y);
            return GradCheck.weightedSum(y, r);
        }, 0.5, 1e-3, 1e-3, 30, rnd);
    }

    /** dx accumulates on request and is overwritten otherwise; dgamma and dbeta always accumulate. */
    @Test
    void backwardAccumulateContract() {
        Case c = new Case(new int[] {3, 4, 5, 6}, true);
        Random rnd = new Random(31);
        Tensor x = backend.fromHost(scaled(rnd, c.size(), 1, 2), c.shape());
        Tensor dy = backend.fromHost(SpatialReference.randn(rnd, c.size()), c.shape());
        Tensor gamma = vector(SpatialReference.randn(rnd, 4)), beta = vector(SpatialReference.randn(rnd, 4));
        Tensor rv = vector(new float[] {0.5f, 1, 2, 3});
        Tensor y = backend.allocate(c.shape()), mean = backend.allocate(4), inv = backend.allocate(4);
        k.batchNormTrainForward(x, gamma, beta, null, null, MOMENTUM, EPS, y, mean, inv);

        Tensor dx = backend.allocate(c.shape()), dg = backend.allocate(4), db = backend.allocate(4);
        k.batchNormBackward(dy, x, gamma, mean, inv, dx, dg, db, false);
        float[] clean = dx.toHost(), cleanG = dg.toHost(), cleanB = db.toHost();
        float[] prior = SpatialReference.randn(rnd, c.size()), priorG = SpatialReference.randn(rnd, 4), priorB = SpatialReference.randn(rnd, 4);
        dx.fromHost(prior);
        dg.fromHost(priorG);
        db.fromHost(priorB);
        k.batchNormBackward(dy, x, gamma, mean, inv, dx, dg, db, true);
        GradCheck.assertClose("dx accumulated", add(prior, clean), dx.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("dgamma accumulated", add(priorG, cleanG), dg.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("dbeta accumulated", add(priorB, cleanB), db.toHost(), 1e-6, 1e-6);
        dx.fromHost(prior);
        k.batchNormBackward(dy, x, gamma, mean, inv, dx, null, null, false);
        assertArrayEquals(clean, dx.toHost(), "accumulate=false must overwrite dx");

        k.batchNormEvalBackward(dy, gamma, rv, EPS, dx, false);
        float[] evalClean = dx.toHost();
        dx.fromHost(prior);
        k.batchNormEvalBackward(dy, gamma, rv, EPS, dx, true);
        GradCheck.assertClose("eval dx accumulated", add(prior, evalClean), dx.toHost(), 1e-6, 1e-6);
    }

    private static double[] add(float[] a, float[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = (double) a[i] + b[i];
        return s;
    }

    @Test
    void resultsAreBitIdenticalRunToRun() {
        Case c = new Case(new int[] {16, 16, 16, 16}, true);
        Random rnd = new Random(41);
        float[] x = scaled(rnd, c.size(), 1, 3), dy = SpatialReference.randn(rnd, c.size());
        float[] g = SpatialReference.randn(rnd, 16), b = SpatialReference.randn(rnd, 16);
        float[][] first = runAll(c, x, dy, g, b);
        assertArrayEquals(first, runAll(c, x, dy, g, b));
    }

    private float[][] runAll(Case c, float[] x, float[] dy, float[] g, float[] b) {
        Tensor xt = backend.fromHost(x, c.shape()), gt = vector(g), bt = vector(b);
        Tensor rm = backend.allocate(c.c()), rv = backend.allocate(c.c());
        Tensor y = backend.allocate(c.shape()), mean = backend.allocate(c.c()), inv = backend.allocate(c.c());
        Tensor dx = backend.allocate(c.shape()), dg = backend.allocate(c.c()), db = backend.allocate(c.c());
        k.batchNormTrainForward(xt, gt, bt, rm, rv, MOMENTUM, EPS, y, mean, inv);
        k.batchNormBackward(backend.fromHost(dy, c.shape()), xt, gt, mean, inv, dx, dg, db, false);
        return new float[][] {y.toHost(), rm.toHost(), rv.toHost(), mean.toHost(), inv.toHost(), dx.toHost(),
                dg.toHost(), db.toHost()};
    }

    @Test
    void badArgumentsAreRejectedByName() {
        Tensor x = backend.allocate(2, 3, 4, 4), y = backend.allocate(2, 3, 4, 4);
        Tensor c3 = backend.allocate(3), c4 = backend.allocate(4), m = backend.allocate(3), inv = backend.allocate(3);
        rejects("gamma must have shape [3]", () -> k.batchNormTrainForward(x, c4, null, null, null, 0.1f, EPS, y, m, inv));
        rejects("beta must have shape [3]", () -> k.batchNormTrainForward(x, c3, c4, null, null, 0.1f, EPS, y, m, inv));
        rejects("runningVar must have shape [3]", () -> k.batchNormTrainForward(x, null, null, c3, c4, 0.1f, EPS, y, m, inv));
        rejects("runningMean and runningVar", () -> k.batchNormTrainForward(x, null, null, c3, null, 0.1f, EPS, y, m, inv));
        rejects("y must have the shape of x", () -> k.batchNormTrainForward(x, null, null, null, null, 0.1f, EPS, backend.allocate(2, 3, 4, 5), m, inv));
        rejects("saveMean must not be null", () -> k.batchNormTrainForward(x, null, null, null, null, 0.1f, EPS, y, null, inv));
        rejects("saveInvStd must have shape [3]", () -> k.batchNormTrainForward(x, null, null, null, null, 0.1f, EPS, y, m, c4));
        rejects("momentum must be in", () -> k.batchNormTrainForward(x, null, null, null, null, 1.5f, EPS, y, m, inv));
        rejects("eps must be > 0", () -> k.batchNormTrainForward(x, null, null, null, null, 0.1f, 0f, y, m, inv));
        rejects("x: batch norm in training needs more than one value", () -> k.batchNormTrainForward(
                backend.allocate(1, 3), null, null, null, null, 0.1f, EPS, backend.allocate(1, 3), m, inv));
        rejects("runningMean must not be null", () -> k.batchNormEvalForward(x, null, null, null, c3, EPS, y));
        rejects("dx must have the shape of x", () -> k.batchNormBackward(y, x, null, m, inv, backend.allocate(2, 3, 16), null, null, false));
        rejects("dgamma must be null when gamma is null", () -> k.batchNormBackward(y, x, null, m, inv, y, c3, c3, false));
        rejects("dbeta must have shape [3]", () -> k.batchNormBackward(y, x, c3, m, inv, y, c3, c4, false));
        rejects("runningVar must have shape [3]", () -> k.batchNormEvalBackward(y, null, c4, EPS, x, false));
        rejects("eps must be > 0", () -> k.batchNormEvalBackward(y, null, c3, 0f, x, false));
        rejects("eps must be > 0", () -> k.batchNormEvalForward(x, null, null, c3, c3, 0f, y));
        rejects("dx must have the shape of dy", () -> k.batchNormEvalBackward(y, null, c3, EPS, backend.allocate(2, 3, 4, 5), false));
        rejects("x: batch norm in training needs more than one value", () -> k.batchNormTrainForward(
                backend.allocate(1, 3, 1, 1), null, null, null, null, 0.1f, EPS, backend.allocate(1, 3, 1, 1), m, inv));
        try (Backend other = createBackend()) {
            rejects("gamma lives on backend", () -> k.batchNormTrainForward(x, other.allocate(3), null, null, null, 0.1f, EPS, y, m, inv));
        }
    }

    private static void rejects(String messagePart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, "expected rejection: " + messagePart);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    }
}
