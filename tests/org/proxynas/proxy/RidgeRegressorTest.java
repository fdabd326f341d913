package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxynas.proxy.ProxyTestSupport.CPU;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

class RidgeRegressorTest {

    /** Labels 2σ(w*·x + b*) with w* ~ N(0, 0.3²) on every entry: a landscape the ridge model can represent. */
    private static double[] plantedLabels(float[][] enc, double[] w, double b) {
        double[] y = new double[enc.length];
        for (int i = 0; i < enc.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) z += w[j] * enc[i][j];
            y[i] = 2 / (1 + Math.exp(-z));
        }
        return y;
    }

    private static double[] plantedWeights(Rng rng) {
        double[] w = new double[ArchParams.SIZE];
        for (int j = 0; j < w.length; j++) w[j] = 0.3 * rng.nextGaussian();
        return w;
    }

    /**
     * Noise-free labels of a planted linear logit, 400 samples (more than the 224 features): leave-one-out must choose
     * the smallest penalty, and held-out predictions match the truth to 2e-3. The bound: at λ = 0.01 against
     * eigenvalues of XᵀX of order n·Var(x) ≈ 400·0.1, the shrinkage bias is ~1e-3 of the logit, plus float weights.
     */
    @Test
    void recoversAPlantedLinearLandscapeAndChoosesTheSmallestPenalty() {
        Rng rng = new Rng(11);
        double[] w = plantedWeights(rng);
        float[][] train = ProxyTestSupport.randomEncodings(rng, 400, 1.0), test = ProxyTestSupport.randomEncodings(rng, 100, 1.0);
        RidgeRegressor r = new RidgeRegressor(CPU);
        r.trainStep(train, plantedLabels(train, w, -0.2));
        assertEquals(RidgeRegressor.PENALTIES[0], r.penalty(), 0.0, "noise-free labels: leave-one-out picks the smallest penalty");
        double[] truth = plantedLabels(test, w, -0.2), pred = r.predict(test);
        double worst = 0;
        for (int i = 0; i < truth.length; i++) worst = Math.max(worst, Math.abs(truth[i] - pred[i]));
        assertTrue(worst < 2e-3, "largest held-out error " + worst);
        assertTrue(KendallTau.tauB(truth, pred) > 0.99, "held-out tau " + KendallTau.tauB(truth, pred));
    }

    /** Labels unrelated to the encodings: leave-one-out must shrink hard (λ ≥ 100) and predict nearly a constant. */
    @Test
    void labelsOfPureNoiseChooseALargePenalty() {
        Rng rng = new Rng(12);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 100, 0.1);
        double[] y = new double[enc.length];
        for (int i = 0; i < y.length; i++) y[i] = 1 + 0.2 * rng.nextGaussian();
        RidgeRegressor r = new RidgeRegressor(CPU);
        r.trainStep(enc, y);
        assertTrue(r.penalty() >= 100, "penalty " + r.penalty());
        double[] p = r.predict(enc);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : p) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        assertTrue(hi - lo < 0.2, "prediction spread " + (hi - lo) + " against a label sd of 0.2");
    }

    /**
     * The leave-one-out shortcut against refitting without sample i: ridge with an unpenalised intercept on the other
     * n − 1 samples (their own means, primal normal equations in double), at three penalties, with fewer samples than
     * features (where a shortcut that centred with all samples would predict every left-out label exactly). Both are
     * double solves of well-conditioned systems, so they agree to rounding: 1e-8 relative.
     */
    @Test
    void leaveOneOutShortcutMatchesRefittingWithoutEachSample() {
        Rng rng = new Rng(13);
        int n = 30, d = ArchParams.SIZE;
        float[][] enc = ProxyTestSupport.randomEncodings(rng, n, 1.0);
        double[] y = plantedLabels(enc, plantedWeights(rng), 0.1);
        for (int i = 0; i < n; i++) y[i] += 0.05 * rng.nextGaussian();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = Math.log(y[i] / 2 / (1 - y[i] / 2));
        for (double lambda : new double[] {0.01, 3.1623, 100}) {
            double[] shortcut = RidgeRegressor.leaveOneOutResiduals(enc, y, lambda);
            for (int out = 0; out < n; out++) {
                double[] mean = new double[d];
                double tMean = 0;
                for (int i = 0; i < n; i++) {
                    if (i == out) continue;
                    tMean += t[i] / (n - 1);
                    for (int j = 0; j < d; j++) mean[j] += enc[i][j] / (double) (n - 1);
                }
                double[][] a = new double[d][d + 1];
                for (int j = 0; j < d; j++) a[j][j] = lambda;
                for (int i = 0; i < n; i++) {
                    if (i == out) continue;
                    for (int p = 0; p < d; p++) {
                        double xp = enc[i][p] - mean[p];
                        for (int q = 0; q < d; q++) a[p][q] += xp * (enc[i][q] - mean[q]);
                        a[p][d] += xp * (t[i] - tMean);
                    }
                }
                double[] w = gaussianElimination(a);
                double pred = tMean;
                for (int p = 0; p < d; p++) pred += w[p] * (enc[out][p] - mean[p]);
                double refit = t[out] - pred;
                assertEquals(refit, shortcut[out], 1e-8 * Math.max(1, Math.abs(refit)), "lambda " + lambda + ", sample " + out);
            }
        }
    }

    /** Solves the augmented system [A | b] (A symmetric positive definite) in place. */
    private static double[] gaussianElimination(double[][] a) {
        int d = a.length;
        for (int c = 0; c < d; c++) {
            for (int r = c + 1; r < d; r++) {
                double f = a[r][c] / a[c][c];
                if (f == 0) continue;
                for (int k = c; k <= d; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) s -= a[r][k] * x[k];
            x[r] = s / a[r][r];
        }
        return x;
    }

    /**
     * dJ/dα (J = ŷ²) through the Gumbel relaxation against central differences, h = 1e-2 on α at τ = 1 (at τ = 0.1
     * most entries of dÃ/dα vanish). The model is smooth; the error is the O(h²) truncation and the float encoding
     * (~1e-7/h): 5e-5 absolute, 3e-2 relative, as for the LSTM.
     */
    @Test
    void alphaGradientMatchesFiniteDifferencesThroughTheRelaxation() {
        Rng rng = new Rng(14);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 120, 1.0);
        RidgeRegressor r = new RidgeRegressor(CPU);
        r.trainStep(enc, plantedLabels(enc, plantedWeights(rng), 0.0));
        Relaxation relax = new Relaxation(1.0);
        double[] alpha = ArchParams.gaussian(rng, 0.5).toDoubles();
        float[] gFloat = GumbelNoise.draw(rng).toArray();
        double[] g = new double[gFloat.length];
        for (int i = 0; i < g.length; i++) g[i] = gFloat[i];
        RelaxedArch arch = relax.relax(alpha, g, null);
        Regressor.AlphaGradient ag = r.alphaGradient(arch);
        assertEquals(r.predict(arch.encoding()), ag.prediction(), 0.0);
        double maxAbs = 0;
        for (int i = 0; i < alpha.length; i++) {
            double num = ProxyTestSupport.centralDifference(alpha, i, 1e-2, () -> {
                double y = r.predict(relax.relax(alpha, g, null).encoding());
                return y * y;
            });
            ProxyTestSupport.assertGradClose("dJ/dα[" + i + "]", num, ag.gradient()[i], 5e-5, 3e-2);
            maxAbs = Math.max(maxAbs, Math.abs(num));
        }
        assertTrue(maxAbs > 1e-3, "non-trivial gradient, max " + maxAbs);
    }

    /** The trainer fits an exact regressor once on the whole memory; the step reports the error before the fit. */
    @Test
    void theTrainerFitsOnceOnTheWholeMemory() {
        Rng rng = new Rng(15);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 50, 0.1);
        double[] y = plantedLabels(enc, plantedWeights(rng), 0.0);
        ArchMemory m = new ArchMemory(50);
        double before = 0;
        for (int i = 0; i < enc.length; i++) {
            m.add(enc[i], y[i]);
            before += (1 - y[i]) * (1 - y[i]) / enc.length; // the unfitted model predicts 1 everywhere
        }
        RidgeRegressor r = new RidgeRegressor(CPU);
        RegressorTrainer.FitResult fit = new RegressorTrainer(r, new Rng(1)).fit(m);
        assertEquals(1, fit.epochs());
        assertTrue(fit.converged());
        assertEquals(1, r.fits());
        assertEquals(before, fit.lastLoss(), 1e-12);
        assertEquals(KendallTau.tauB(y, r.predict(enc)), fit.kendall(), 0.0, "the fit's tau is the memory's");
        assertTrue(fit.kendall() > 0.5, "tau on the memory " + fit.kendall());
        assertEquals(0, new RegressorTrainer(r, new Rng(1)).fit(m, 0).epochs(), "a zero cap fits nothing");
    }

    @Test
    void badInputIsRejectedWithWhatWasExpected() {
        RidgeRegressor r = new RidgeRegressor(CPU);
        float[][] one = {new float[ArchParams.SIZE]};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.trainStep(one, new double[] {Double.NaN}));
        assertTrue(e.getMessage().contains("label 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.trainStep(new float[][] {new float[5]}, new double[] {1}));
        assertTrue(e.getMessage().contains("224"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.trainStep(one, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.trainStep(new float[0][], new double[0]));
        assertEquals(0, r.fits(), "a rejected fit changes nothing");
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalPredictions(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(16);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 60, 0.1);
        RidgeRegressor a = new RidgeRegressor(CPU);
        a.trainStep(enc, plantedLabels(enc, plantedWeights(rng), 0.0));
        Path f = dir.resolve("ridge.bin");
        a.save(f);
        RidgeRegressor b = new RidgeRegressor(CPU);
        b.load(f);
        double[] pa = a.predict(enc), pb = b.predict(enc);
        for (int i = 0; i < pa.length; i++) assertEquals(pa[i], pb[i], 0.0, "prediction " + i);
        assertEquals(a.penalty(), b.penalty(), 0.0);
        assertEquals(1, b.fits());
    }

    @Test
    void loadingACorruptOrForeignFileFailsWithTheFileNameAndChangesNothing(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(17);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 40, 0.1);
        RidgeRegressor r = new RidgeRegressor(CPU);
        r.trainStep(enc, plantedLabels(enc, plantedWeights(rng), 0.0));
        double[] before = r.predict(enc);
        Path lstm = dir.resolve("lstm.bin");
        new LstmRegressor(CPU, new Rng(1)).save(lstm);
        ProxyFileException e = assertThrows(ProxyFileException.class, () -> r.load(lstm));
        assertTrue(e.getMessage().contains(lstm.toString()) && e.getMessage().contains(RidgeRegressor.FILE_KIND), e.getMessage());
        Path cut = dir.resolve("cut.bin");
        r.save(cut);
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(ProxyFileException.class, () -> r.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        double[] after = r.predict(enc);
        for (int i = 0; i < before.length; i++) assertEquals(before[i], after[i], 0.0);
    }
}
