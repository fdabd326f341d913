package org.proxynas.proxy;

import org.proxynas.nn.Param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxynas.proxy.ProxyTestSupport.CPU;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

class LstmRegressorTest {

    private static double predictOne(Regressor r, float[] enc) { return r.predict(new float[][] {enc})[0]; }

    /**
     * Raises the forget-gate bias (PyTorch gate order i, f, g, o) by 3, so the cell state carries information across
     * all 28 steps: with the default init the influence of early steps decays to below fp32 noise and a
     * finite-difference check could not see a backward-through-time bug there.
     */
    static void longMemory(LstmRegressor r, int hidden) {
        Param b = r.parameters().stream().filter(p -> p.name().equals("lstm.bias_ih_l0")).findFirst().orElseThrow();
        float[] v = b.value().toHost();
        for (int j = hidden; j < 2 * hidden; j++) v[j] += 3f;
        b.value().fromHost(v);
    }

    /** Largest |dŷ/dÃ| over the first edge (step 0), to show the check covers the start of the sequence. */
    private static double maxAbsFirstStep(float[] grad) {
        double m = 0;
        for (int i = 0; i < 8; i++) m = Math.max(m, Math.abs(grad[i]));
        return m;
    }

    @Test
    void outputsLieInZeroTwoAndBatchMatchesSingles() {
        Rng rng = new Rng(1);
        LstmRegressor r = new LstmRegressor(CPU, rng);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 5, 0.1);
        double[] batch = r.predict(enc);
        for (int i = 0; i < enc.length; i++) {
            assertTrue(batch[i] > 0 && batch[i] < 2, "prediction " + batch[i]);
            assertEquals(batch[i], predictOne(r, enc[i]), 0.0, "batch row " + i + " equals a batch of one");
        }
        assertEquals(4 * 16 * 8 + 4 * 16 * 16 + 2 * 64 + 16 + 1,
                r.parameters().stream().mapToLong(Param::size).sum(), "PyTorch LSTM(8,16) + Linear(16,1) size");
    }

    /**
     * dŷ/dÃ by central differences of the fp32 forward. h = 1e-2 on inputs in [0, 1]: the LSTM is smooth, so the
     * truncation error is O(h²)·|ŷ'''| ≈ 1e-5, and fp32 rounding of ŷ (≈1e-7) contributes ≈1e-7/h = 1e-5;
     * gradients are ≈1e-3..1e-1, hence atol 5e-5 and rtol 2 %.
     */
    @Test
    void inputGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(2);
        LstmRegressor r = new LstmRegressor(CPU, rng);
        longMemory(r, 16);
        float[] enc = ProxyTestSupport.randomEncoding(rng, 1.0);
        LstmRegressor.InputGradient g = r.inputGradient(enc);
        assertTrue(maxAbsFirstStep(g.gradient()) > 1e-3, "step 0 must matter: " + maxAbsFirstStep(g.gradient()));
        assertEquals(predictOne(r, enc), g.prediction(), 0.0);
        double maxAbs = 0;
        for (int i = 0; i < enc.length; i++) {
            double num = ProxyTestSupport.centralDifference(enc, i, 1e-2, () -> predictOne(r, enc));
            ProxyTestSupport.assertGradClose("dŷ/dÃ[" + i + "]", num, g.gradient()[i], 5e-5, 2e-2);
            maxAbs = Math.max(maxAbs, Math.abs(num));
        }
        assertTrue(maxAbs > 1e-3, "the check must see non-trivial gradients, max " + maxAbs);
    }

    /**
     * dJ/dα for J = ŷ(Ã(α; g))², end to end through the relaxation (computed in double) at τ = 1: at the search
     * temperature 0.1 the rows are nearly one-hot, so most entries of dÃ/dα vanish and the rest are scaled by 1/τ,
     * which makes the difference quotient ill-conditioned; τ = 1 keeps every entry informative. h = 1e-2 on α.
     */
    @Test
    void alphaGradientMatchesFiniteDifferencesThroughTheRelaxation() {
        Rng rng = new Rng(3);
        LstmRegressor r = new LstmRegressor(CPU, rng);
        longMemory(r, 16);
        Relaxation relax = new Relaxation(1.0);
        double[] alpha = ArchParams.gaussian(rng, 0.5).toDoubles();
        float[] gFloat = GumbelNoise.draw(rng).toArray();
        double[] g = new double[gFloat.length];
        for (int i = 0; i < g.length; i++) g[i] = gFloat[i];
        RelaxedArch arch = relax.relax(alpha, g, null);
        Regressor.AlphaGradient ag = r.alphaGradient(arch);
        assertEquals(predictOne(r, arch.encoding()), ag.prediction(), 0.0);
        double maxAbs = 0;
        for (int i = 0; i < alpha.length; i++) {
            double num = ProxyTestSupport.centralDifference(alpha, i, 1e-2, () -> {
                double y = predictOne(r, relax.relax(alpha, g, null).encoding());
                return y * y;
            });
            ProxyTestSupport.assertGradClose("dJ/dα[" + i + "]", num, ag.gradient()[i], 5e-5, 3e-2);
            maxAbs = Math.max(maxAbs, Math.abs(num));
        }
        assertTrue(maxAbs > 1e-3, "non-trivial gradient, max " + maxAbs);
    }

    /**
     * Parameter gradients of the training loss, directional (one random direction per parameter tensor, then all
     * together), h = 1e-2: the loss is smooth and ≈1e-2..1, fp32 noise ≈1e-7/h.
     */
    @Test
    void parameterGradientsMatchFiniteDifferences() {
        for (RegressionLoss loss : RegressionLoss.values()) {
            Rng rng = new Rng(4);
            LstmRegressor r = new LstmRegressor(CPU, rng, LstmRegressor.Config.defaults().withLoss(loss));
            longMemory(r, 16);
            float[][] enc = ProxyTestSupport.randomEncodings(rng, 6, 1.0);
            double[] labels = new double[enc.length];
            for (int i = 0; i < labels.length; i++) labels[i] = 0.3 + 1.2 * rng.nextDouble();
            r.lossAndGradients(enc, labels);
            // both LSTM biases enter every gate pre-activation the same way: their gradients are identical
            assertArrayEquals(r.parameters().get(2).grad().toHost(), r.parameters().get(3).grad().toHost(), 0f,
                    "d bias_ih == d bias_hh");
            for (Param p : r.parameters()) {
                ProxyTestSupport.directionalCheck(loss + " " + p.name(), List.of(p), () -> r.lossAndGradients(enc, labels),
                        1e-2, 1e-5, 1e-2, rng);
                r.lossAndGradients(enc, labels); // the check's evaluations overwrote the gradients
            }
            ProxyTestSupport.directionalCheck(loss + " all", r.parameters(), () -> r.lossAndGradients(enc, labels),
                    1e-2, 1e-5, 1e-2, rng);
        }
    }

    @Test
    void weightedLossIsMeanSquaredErrorOverLabel() {
        Rng rng = new Rng(5);
        LstmRegressor r = new LstmRegressor(CPU, new Rng(6),
                LstmRegressor.Config.defaults().withLoss(RegressionLoss.WEIGHTED));
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 4, 0.1);
        double[] labels = {0.5, 1.0, 1.5, 0.25};
        double[] y = r.predict(enc);
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += (y[i] - labels[i]) * (y[i] - labels[i]) / labels[i];
        assertEquals(expected / 4, r.lossAndGradients(enc, labels), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> r.lossAndGradients(enc, new double[] {0.5, 0, 1, 1}));
    }

    @Test
    void trainingOnASmoothLandscapeLowersTheLossAndRaisesKendallTau() {
        Rng rng = new Rng(7);
        ArchMemory memory = new ArchMemory(100);
        for (int i = 0; i < 100; i++) {
            float[] enc = ProxyTestSupport.randomEncoding(rng, 0.5);
            // smooth label: more sep_conv_3x3 and less 'none' means lower loss
            memory.add(enc, 1.0 - 1.5 * (ProxyTestSupport.meanOp(enc, 4) - ProxyTestSupport.meanOp(enc, 0)));
        }
        LstmRegressor r = new LstmRegressor(CPU, new Rng(8),
                new LstmRegressor.Config(16, RegressionLoss.MSE, AdamConfig.regressorDefault().withLr(1e-2)));
        RegressorTrainer trainer = new RegressorTrainer(r, new Rng(9),
                new RegressorTrainer.Config(64, 150, RegressorTrainer.StopRule.KENDALL, 0.8));
        double tau0 = trainer.kendall(memory);
        double loss0 = trainer.epoch(memory).meanLoss();
        RegressorTrainer.FitResult fit = trainer.fit(memory);
        assertTrue(fit.lastLoss() < 0.5 * loss0, "loss " + loss0 + " -> " + fit.lastLoss());
        assertTrue(fit.kendall() > 0.6 && fit.kendall() > tau0 + 0.3, "Kendall tau " + tau0 + " -> " + fit.kendall());
        assertEquals(2 * (fit.epochs() + 1), r.optimizerSteps(), "100 entries at batch 64: two steps per epoch");
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalPredictionsAndTraining(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(10);
        LstmRegressor a = new LstmRegressor(CPU, new Rng(11));
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 8, 0.1);
        double[] labels = new double[8];
        for (int i = 0; i < 8; i++) labels[i] = 0.5 + rng.nextDouble();
        for (int s = 0; s < 3; s++) a.trainStep(enc, labels);
        Path file = dir.resolve("lstm.bin");
        a.save(file);
        LstmRegressor b = new LstmRegressor(CPU, new Rng(99));
        assertTrue(a.predict(enc)[0] != b.predict(enc)[0], "different init before loading");
        b.load(file);
        assertArrayEquals(a.predict(enc), b.predict(enc), 0.0);
        assertEquals(a.optimizerSteps(), b.optimizerSteps());
        // optimiser state restored too: the next step is bit-identical
        assertEquals(a.trainStep(enc, labels), b.trainStep(enc, labels), 0.0);
        assertArrayEquals(a.predict(enc), b.predict(enc), 0.0);
    }

    @Test
    void loadingACorruptOrForeignFileFailsWithTheFileName(@TempDir Path dir) throws IOException {
        LstmRegressor r = new LstmRegressor(CPU, new Rng(12));
        float[][] enc = ProxyTestSupport.randomEncodings(new Rng(13), 2, 0.1);
        double[] before = r.predict(enc);
        Path good = dir.resolve("good.bin");
        r.save(good);
        byte[] bytes = Files.readAllBytes(good);

        Path corrupt = dir.resolve("corrupt.bin");
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Files.write(corrupt, flipped);
        ProxyFileException e1 = assertThrows(ProxyFileException.class, () -> r.load(corrupt));
        assertTrue(e1.getMessage().contains(corrupt.toString()) && e1.getMessage().contains("checksum"), e1.getMessage());

        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        ProxyFileException e2 = assertThrows(ProxyFileException.class, () -> r.load(truncated));
        assertTrue(e2.getMessage().contains(truncated.toString()), e2.getMessage());

        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"weights\": [1, 2, 3]}");
        ProxyFileException e3 = assertThrows(ProxyFileException.class, () -> r.load(foreign));
        assertTrue(e3.getMessage().contains(foreign.toString()) && e3.getMessage().contains("magic"), e3.getMessage());

        Path otherSize = dir.resolve("hidden8.bin");
        new LstmRegressor(CPU, new Rng(14), new LstmRegressor.Config(8, RegressionLoss.MSE,
                AdamConfig.regressorDefault())).save(otherSize);
        ProxyFileException e4 = assertThrows(ProxyFileException.class, () -> r.load(otherSize));
        assertTrue(e4.getMessage().contains(otherSize.toString()) && e4.getMessage().contains("hidden"), e4.getMessage());

        assertArrayEquals(before, r.predict(enc), 0.0, "failed loads leave the regressor unchanged");
    }
}
