package org.proxynas.search;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.Relaxation;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.LossStats;

import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.*;

class LabelDiagnosticTest {
    /** labels = path effect (sd sp) + round drift (sd sd) + noise (sd se), k paths x m rounds. */
    private static double[][] synthetic(int k, int m, double sp, double sd, double se, long seed) {
        Rng rng = new Rng(seed);
        double[] path = new double[k], drift = new double[m];
        for (int i = 0; i < k; i++) path[i] = sp * rng.nextGaussian();
        for (int r = 0; r < m; r++) drift[r] = sd * rng.nextGaussian();
        double[][] x = new double[k][m];
        for (int i = 0; i < k; i++) for (int r = 0; r < m; r++) x[i][r] = 1 + path[i] + drift[r] + se * rng.nextGaussian();
        return x;
    }

    @Test
    void shareOfVarianceRecoversTheIntraclassCorrelation() {
        // Path sd 1, noise sd 1: true share 0.5. With 400 paths x 8 rounds the ANOVA estimator's sd is about 0.03,
        // so 0.1 is over three of them.
        assertEquals(0.5, LabelDiagnostic.pathShare(synthetic(400, 8, 1, 0, 1, 1), false), 0.1);
        // Path sd 2, noise sd 1: 0.8.
        assertEquals(0.8, LabelDiagnostic.pathShare(synthetic(400, 8, 2, 0, 1, 2), false), 0.1);
        // No path effect: 0 (the estimator is clamped at 0, sampling noise can only push it slightly above).
        assertTrue(LabelDiagnostic.pathShare(synthetic(400, 8, 0, 0, 1, 3), false) < 0.05);
    }

    @Test
    void removingDriftTakesOutTheRoundEffect() {
        // Path sd 1, drift sd 1.5 across rounds, noise sd 0.5: raw share 1 / (1 + 2.25 + 0.25) ~ 0.29, drift removed 0.8.
        double[][] x = synthetic(400, 8, 1, 1.5, 0.5, 4);
        double raw = LabelDiagnostic.pathShare(x, false), removed = LabelDiagnostic.pathShare(x, true);
        assertTrue(raw < 0.5, "raw share " + raw);
        assertEquals(0.8, removed, 0.1);
    }

    @Test
    void removingTheTimeTrendTakesOutDriftWithinRounds() {
        // Path sd 1, noise sd 0.3, plus a label that falls by 3 over the run in random measurement order (as a converging
        // supernet does): the fall hides the path (raw share low), round means only remove its between-round part, the
        // cubic trend in measurement order removes nearly all of it. True share 1 / 1.09 ~ 0.92.
        int k = 200, m = 6;
        Rng rng = new Rng(5);
        double[][] x = synthetic(k, m, 1, 0, 0.3, 6);
        int[][] order = new int[k][m];
        int[] perm = new int[k * m];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        for (int r = 0; r < m; r++) {
            for (int i = k - 1; i > 0; i--) { int j = rng.nextInt(i + 1), t = perm[r * k + i]; perm[r * k + i] = perm[r * k + j]; perm[r * k + j] = t; }
            for (int i = 0; i < k; i++) {
                order[i][r] = perm[r * k + i];
                x[i][r] += 3.0 * Math.exp(-3.0 * order[i][r] / (k * m));
            }
        }
        double raw = LabelDiagnostic.pathShare(x, false), trend = LabelDiagnostic.pathShareTrendRemoved(x, order);
        assertTrue(raw < 0.7, "raw share " + raw);
        assertEquals(0.92, trend, 0.06);
        // Without a trend the fit changes nothing that matters.
        double[][] flat = synthetic(k, m, 1, 0, 1, 7);
        assertEquals(LabelDiagnostic.pathShare(flat, false), LabelDiagnostic.pathShareTrendRemoved(flat, order), 0.03);
    }

    @Test
    void theNinetyPercentIntervalCoversTheTrueShareNineTimesInTen() {
        // True share 0.5 (path sd 1, noise sd 1), the diagnostic's default 6 paths x 4 rounds, 400 tables: coverage has a
        // standard error of 0.015, so 0.85..0.95 is over three of them either side of 0.90; with drift (sd 1.5) the
        // drift-removed interval must cover as well.
        int covered = 0, coveredDrift = 0, n = 400;
        for (int t = 0; t < n; t++) {
            double[][] x = synthetic(6, 4, 1, 1.5, 1, 100 + t);
            LabelDiagnostic.Interval raw = LabelDiagnostic.interval(synthetic(6, 4, 1, 0, 1, 100 + t), false, 0.9);
            LabelDiagnostic.Interval drift = LabelDiagnostic.interval(x, true, 0.9);
            if (raw.low() <= 0.5 && 0.5 <= raw.high()) covered++;
            if (drift.low() <= 0.5 && 0.5 <= drift.high()) coveredDrift++;
        }
        assertEquals(0.90, (double) covered / n, 0.05);
        assertEquals(0.90, (double) coveredDrift / n, 0.05);
    }

    @Test
    void exactValuesOnASmallTable() {
        // Two paths, two rounds: {1, 3} and {5, 7}. Path means 2 and 6, grand 4: MS_path = 2 * (4 + 4) / 1 = 16;
        // MS_within = (1 + 1 + 1 + 1) / 2 = 2; sigma_p^2 = (16 - 2) / 2 = 7; share 7 / 9. Drift: rounds {3, 5}, the
        // residuals are 0, so sigma_p^2 = 8 and the share is 1.
        double[][] x = {{1, 3}, {5, 7}};
        assertEquals(7.0 / 9.0, LabelDiagnostic.pathShare(x, false), 1e-12);
        assertEquals(1.0, LabelDiagnostic.pathShare(x, true), 1e-12);
    }

    /** A weight side whose validation loss is the path's op-index sum over 28 plus noise, and counts its training. */
    static final class NoisyPaths implements PathEvaluator {
        final Rng rng = new Rng(9);
        final double noise;
        int trained;

        NoisyPaths(double noise) { this.noise = noise; }

        @Override public SupernetRunner.TrainStats trainPath(SampledPath path, float lr, IntConsumer progress) {
            trained++;
            return new SupernetRunner.TrainStats(1, 0, 0);
        }

        @Override public LossStats validate(SampledPath path) {
            double s = 0;
            for (CellType c : CellType.values()) for (int e = 0; e < 14; e++) s += path.opIndex(c, e);
            return new LossStats(s / 28 + noise * rng.nextGaussian(), 0, 1);
        }

        @Override public int trainImagesPerSample() { return 1; }
        @Override public int steps() { return trained; }
        @Override public void save(Checkpoint c) {}
        @Override public void load(Checkpoint c) {}
    }

    @Test
    void measureInterleavesTrainingAndSeparatesPathFromNoise() {
        // Op-index sums of random paths differ by sd ~ 2.3/sqrt(28) ~ 0.43 / path; with noise sd 0.05 the share is
        // ~0.99, with noise sd 2 ~0.05. Tolerances: 12 paths x 4 rounds; 0.9 and 0.4 are far from both sides.
        NoisyPaths quiet = new NoisyPaths(0.05);
        LabelDiagnostic.Result r = LabelDiagnostic.measure(quiet, new Relaxation(0.1), ArchParams.init(new Rng(1)), new Rng(2), 12, 4,
                0.01f, 10, 0.5, null);
        assertEquals(2 * 12 * 4, quiet.trained, "each measurement trains one normal sample and the measured path");
        boolean[] seen = new boolean[12 * 4];
        for (int[] row : r.order()) for (int o : row) seen[o] = true;
        for (int o = 0; o < seen.length; o++) assertTrue(seen[o], "measurement " + o + " has no label: " + java.util.Arrays.deepToString(r.order()));
        assertTrue(r.pathShareTrendRemoved() > 0.9, r.summary());
        assertTrue(r.pathShare() > 0.9, r.summary());
        assertNull(r.advice());
        LabelDiagnostic.Result noisy = LabelDiagnostic.measure(new NoisyPaths(2), new Relaxation(0.1), ArchParams.init(new Rng(1)),
                new Rng(2), 12, 4, 0.01f, 10, 0.5, null);
        assertTrue(noisy.pathShare() < 0.4, noisy.summary());
        assertTrue(noisy.low());
        assertTrue(noisy.advice().contains("--steps-per-sample 10 -> 20") && noisy.advice().contains("--val-fraction 0.50 -> 1.00"),
                noisy.advice());
        assertFalse(noisy.advice().contains("longer warm-up"), "no drift here, so no warm-up advice: " + noisy.advice());
        // Labels whose noise is a falling trend: the advice points at the warm-up.
        LabelDiagnostic.Result drifting = new LabelDiagnostic.Result(new double[][] {{3, 2}, {3.1, 2.1}, {2.9, 1.9}}, new int[][] {{0, 3}, {1, 4}, {2, 5}},
                0.1, 0.9, 0.9, new LabelDiagnostic.Interval(0, 0.5), new LabelDiagnostic.Interval(0.5, 1), 10, 0.5, 0.01);
        assertTrue(drifting.advice().contains("longer warm-up") && drifting.advice().contains("--init-supernet"), drifting.advice());
    }
}
