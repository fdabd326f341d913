package org.proxynas.proxy;

import org.proxynas.nn.Param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.proxynas.space.CellType;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

class GaeRegressorTest {
    /** Narrow widths keep the tests fast; the structure (4 GIN layers, latent 16, 17 nodes) is the reference's. */
    static final GaeConfig SMALL = GaeConfig.small(16, 16);

    private static double[] labels(Rng rng, int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) l[i] = 0.4 + rng.nextDouble();
        return l;
    }

    /** A label that depends on the edge weights of convolution edges (so ŷ learns a real dependence on v). */
    static double weightedConvLabel(float[] enc) {
        ArchGraph g = ArchGraph.fromEncoding(enc);
        double s = 0;
        for (int e = 0; e < 28; e++) s += (g.ops()[e] >= 4 ? 1 : 0) * g.weights()[e];
        return 1.2 - 3.6 * s / 28 / 2;
    }

    /**
     * A regressor after 30 training steps (lr 1e-2) on v-dependent labels, so BatchNorm running statistics and
     * weights are not at their init and dŷ/dv is ≈1e-2..1e-1 (an untrained GAE has |dŷ/dv| ≈ 1e-4, too close to fp32
     * noise for a meaningful finite-difference check).
     */
    static GaeRegressor trained(GaeConfig config, long seed) {
        Rng rng = new Rng(seed);
        GaeRegressor r = new GaeRegressor(CPU, rng, config.withAdam(AdamConfig.regressorDefault().withLr(1e-2)));
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 32, 1.0);
        double[] lab = new double[enc.length];
        for (int i = 0; i < lab.length; i++) lab[i] = weightedConvLabel(enc[i]);
        for (int s = 0; s < 30; s++) r.trainStep(enc, lab);
        return r;
    }

    /**
     * dŷ/dv_e by central differences on the 28 edge weights, for both BatchNorm modes of the α step. The GAE is
     * piecewise smooth with many ReLU kinks (rows with one-hot features cluster), so the difference quotient only
     * converges for small steps: h = 3e-4 (measured: h = 1e-3 is already off by up to 15 % on some edges), and an
     * edge whose ±h step still crosses a kink is checked against the one-sided difference on the smooth side (at
     * most 4 of 28). fp32 rounding of ŷ (≈1e-7) contributes ≈1e-7/(2h) ≈ 2e-4 in the worst case; atol 1.5e-4 and
     * rtol 3 % on gradients up to ≈1e-1 (the test asserts the largest exceeds 5e-3).
     */
    @Test
    void edgeWeightGradientMatchesFiniteDifferencesInBothBatchNormModes() {
        for (GaeConfig.BnMode mode : GaeConfig.BnMode.values()) {
            GaeRegressor r = trained(SMALL.withInferenceBn(mode), 1);
            Rng rng = new Rng(2);
            ArchGraph g = ArchGraph.fromEncoding(ProxyTestSupport.randomEncoding(rng, 1.0));
            GaeRegressor.EdgeGradient eg = r.edgeWeightGradient(g);
            assertEquals(r.predictGraphs(List.of(g))[0], eg.prediction(), 0.0);
            float[] w = g.weights();
            double maxAbs = 0;
            int central = 0;
            for (int e = 0; e < 28; e++) {
                if (ProxyTestSupport.kinkTolerantCheck(mode + " dŷ/dv[" + e + "]", w, e, 3e-4,
                        () -> r.predictGraphs(List.of(g.withWeights(w)))[0], eg.gradient()[e], 1.5e-4, 3e-2)) central++;
                maxAbs = Math.max(maxAbs, Math.abs(eg.gradient()[e]));
            }
            assertTrue(central >= 24, mode + ": the central difference matched only " + central + " of 28 edges");
            assertTrue(maxAbs > 5e-3, mode + ": non-trivial gradient, max " + maxAbs);
        }
    }

    /**
     * dJ/dα for J = ŷ², end to end through the relaxation at τ = 1 (well conditioned, see the LSTM test), only
     * through the edge weights. Entries whose row would change its argmax within ±h are skipped (the op one-hot
     * is a step function there); with τ = 1 and h = 1e-3 that is rare, and the test asserts it stays rare. ReLU
     * kinks as in the edge-weight test: one-sided fallback for at most 20 of 224 entries.
     */
    @Test
    void alphaGradientMatchesFiniteDifferencesThroughTheRelaxation() {
        GaeRegressor r = trained(SMALL, 3);
        Rng rng = new Rng(4);
        Relaxation relax = new Relaxation(1.0);
        double[] alpha = ArchParams.gaussian(rng, 0.5).toDoubles();
        float[] gf = GumbelNoise.draw(rng).toArray();
        double[] g = new double[gf.length];
        for (int i = 0; i < g.length; i++) g[i] = gf[i];
        RelaxedArch arch = relax.relax(alpha, g, null);
        Regressor.AlphaGradient ag = r.alphaGradient(arch);
        int checked = 0, central = 0;
        double maxAbs = 0;
        for (int i = 0; i < alpha.length; i++) {
            int row = i / 8;
            double orig = alpha[i];
            alpha[i] = orig + 1e-3;
            boolean stable = relax.relax(alpha, g, null).chosenOp(cellOf(row), row % 14) == arch.chosenOp(cellOf(row), row % 14);
            alpha[i] = orig - 1e-3;
            stable &= relax.relax(alpha, g, null).chosenOp(cellOf(row), row % 14) == arch.chosenOp(cellOf(row), row % 14);
            alpha[i] = orig;
            if (!stable) continue;
            if (ProxyTestSupport.kinkTolerantCheck("dJ/dα[" + i + "]", alpha, i, 1e-3, () -> {
                double y = r.predictGraphs(List.of(ArchGraph.from(relax.relax(alpha, g, null))))[0];
                return y * y;
            }, ag.gradient()[i], 1.5e-4, 3e-2)) central++;
            maxAbs = Math.max(maxAbs, Math.abs(ag.gradient()[i]));
            checked++;
        }
        assertTrue(central >= checked - 20, "the central difference matched only " + central + " of " + checked);
        assertTrue(checked >= 220, "checked " + checked + " of 224 entries");
        assertTrue(maxAbs > 5e-3, "non-trivial gradient, max " + maxAbs);
    }

    private static CellType cellOf(int row) { return row < 14 ? CellType.NORMAL : CellType.REDUCE; }

    /**
     * Parameter gradients of the full training loss (0.8·(L_rec,n + L_rec,r) + MSE or the weighted loss, dropout
     * masks fixed by the seed, batch statistics), tensor by tensor: the 3 largest entries and 3 random ones, each
     * moved by ±1e-4 (larger steps cross ReLU kinks; measured). Measured |numeric − analytic| on smooth entries is
     * ≤ 1e-4 (rounding) and up to 1.5 % of the slope elsewhere (curvature): atol 2e-3, rtol 3 %. Every tensor must
     * show a slope above 10·atol = 0.02 on a sampled entry (the smallest, head.fc1.weight, shows 0.038), so a
     * dropped or zeroed gradient fails rather than hiding in the noise; the biases right before a batch-norm have
     * a zero gradient by construction and must stay flat instead.
     */
    @Test
    void parameterGradientsMatchFiniteDifferences() {
        for (RegressionLoss loss : RegressionLoss.values()) {
            Rng rng = new Rng(5);
            GaeRegressor r = new GaeRegressor(CPU, rng, SMALL.withLoss(loss));
            float[][] enc = ProxyTestSupport.randomEncodings(rng, 4, 0.1);
            double[] lab = labels(rng, 4);
            long seed = 77;
            java.util.function.DoubleSupplier f = () -> r.lossAndGradients(enc, lab, seed);
            List<Param> params = r.allParameters().stream().filter(p -> !p.name().endsWith(".eps")).toList();
            ProxyTestSupport.perTensorEntryCheck(loss.toString(), params, f, 1e-4, 2e-3, 3e-2, 3, 3, rng,
                    name -> name.endsWith("mlp.0.bias") || name.endsWith("mlp.3.bias"));
        }
    }

    /** The learnable GIN ε (a host-side scalar gradient): plain central difference per layer. */
    @Test
    void ginEpsilonGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(15);
        GaeRegressor r = new GaeRegressor(CPU, rng, SMALL);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 4, 0.1);
        double[] lab = labels(rng, 4);
        r.lossAndGradients(enc, lab, 3);
        int checked = 0;
        for (Param p : r.allParameters()) {
            if (!p.name().endsWith(".eps")) continue;
            double analytic = p.grad().toHost()[0];
            float[] v = p.value().toHost();
            double num = ProxyTestSupport.centralDifference(v, 0, 1e-4, () -> {
                p.value().fromHost(v);
                return r.lossAndGradients(enc, lab, 3);
            });
            p.value().fromHost(v);
            ProxyTestSupport.assertGradClose(p.name(), num, analytic, 1e-2, 2e-2);
            checked++;
        }
        assertEquals(4, checked);
    }

    /** The reconstruction loss is what the class documents: CE on the op classes + BCE on the strict upper triangle. */
    @Test
    void reconstructionLossMatchesAHostComputation() {
        Rng rng = new Rng(6);
        GaeRegressor r = new GaeRegressor(CPU, rng, SMALL);
        GaeModel m = r.model();
        List<ArchGraph> graphs = List.of(ArchGraph.fromEncoding(ProxyTestSupport.randomEncoding(rng, 0.1)),
                ArchGraph.fromEncoding(ProxyTestSupport.randomEncoding(rng, 0.1)));
        CellGraphs.Host host = CellGraphs.build(graphs, CellType.NORMAL);
        GaeModel.EncoderPass p = m.encode(m.upload(host), 0, GaeModel.BnUse.TRAIN);
        GaeModel.Recon rec = m.reconstruct(p, false, 0, 1f, null, false);
        float[] z = p.z.toHost(), w = m.decoderParams()[0].value().toHost(), b = m.decoderParams()[1].value().toHost();
        int lat = 16;
        double ce = 0, bce = 0;
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < 17; i++) {
                int row = g * 17 + i;
                double[] logit = new double[11];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 11; c++) {
                    logit[c] = b[c];
                    for (int j = 0; j < lat; j++) logit[c] += (double) z[row * lat + j] * w[c * lat + j];
                    max = Math.max(max, logit[c]);
                }
                double sum = 0;
                for (int c = 0; c < 11; c++) sum += Math.exp(logit[c] - max);
                ce += max + Math.log(sum) - logit[(int) host.labels()[row]];
                for (int j = i + 1; j < 17; j++) {
                    double s = 0;
                    for (int q = 0; q < lat; q++) s += (double) z[row * lat + q] * z[(g * 17 + j) * lat + q];
                    double pr = 1 / (1 + Math.exp(-s)), t = host.adjacency()[g * 289 + i * 17 + j];
                    bce -= t * Math.max(Math.log(pr), -100) + (1 - t) * Math.max(Math.log1p(-pr), -100);
                }
            }
        }
        assertEquals(ce / 34, rec.ops(), 1e-5);
        assertEquals(bce / (2 * 136), rec.adjacency(), 1e-5);
    }

    @Test
    void inferenceBatchNormModeChangesPredictionsButNotTraining() {
        GaeRegressor eval = trained(SMALL.withInferenceBn(GaeConfig.BnMode.EVAL), 21);
        GaeRegressor batch = trained(SMALL.withInferenceBn(GaeConfig.BnMode.TRAIN), 21);
        Rng rng = new Rng(22);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 5, 0.1);
        double[] lab = labels(rng, 5);
        assertEquals(eval.lossAndGradients(enc, lab, 4), batch.lossAndGradients(enc, lab, 4), 0.0,
                "training always uses batch statistics");
        double[] pe = eval.predict(enc), pb = batch.predict(enc);
        for (int i = 0; i < 5; i++) assertNotEquals(pe[i], pb[i], "running vs batch statistics, entry " + i);
        // batch statistics: a graph's prediction depends on the other graphs in the call; running statistics: not
        assertEquals(pe[0], eval.predict(new float[][] {enc[0]})[0], 1e-6);
        assertNotEquals(pb[0], batch.predict(new float[][] {enc[0]})[0], 1e-6);
    }

    @Test
    void headOnlyFineTuningLeavesTheAutoencoderUnchanged() {
        Rng rng = new Rng(7);
        GaeRegressor r = new GaeRegressor(CPU, rng, SMALL.withFineTune(GaeConfig.FineTune.HEAD_ONLY));
        assertEquals(4, r.parameters().size(), "head: two Linear layers");
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 8, 0.1);
        double[] lab = labels(rng, 8);
        List<Param> all = r.allParameters();
        float[][] before = new float[all.size()][];
        for (int i = 0; i < all.size(); i++) before[i] = all.get(i).value().toHost();
        r.trainStep(enc, lab);
        for (int i = 0; i < all.size(); i++) {
            boolean isHead = all.get(i).name().startsWith("head.");
            boolean changed = !java.util.Arrays.equals(before[i], all.get(i).value().toHost());
            assertEquals(isHead, changed, all.get(i).name() + (isHead ? " must change" : " must stay"));
        }
    }

    @Test
    void trainingOnASmoothLandscapeLowersTheLossAndRaisesKendallTau() {
        Rng rng = new Rng(8);
        ArchMemory memory = new ArchMemory(64);
        for (int i = 0; i < 64; i++) {
            float[] enc = ProxyTestSupport.randomEncoding(rng, 0.5);
            int conv = 0;
            for (int op : ArchGraph.fromEncoding(enc).ops()) if (op >= 4) conv++;
            memory.add(enc, 1.0 - 2.8 * (conv / 28.0 - 0.5)); // convolutions lower the loss
        }
        GaeRegressor r = new GaeRegressor(CPU, new Rng(9), SMALL.withAdam(AdamConfig.regressorDefault().withLr(3e-3)));
        RegressorTrainer trainer = new RegressorTrainer(r, new Rng(10),
                new RegressorTrainer.Config(32, 45, RegressorTrainer.StopRule.KENDALL, 0.75));
        double tau0 = trainer.kendall(memory);
        double loss0 = trainer.epoch(memory).meanLoss();
        double sup0 = r.lastLoss().supervised();
        RegressorTrainer.FitResult fit = trainer.fit(memory);
        assertTrue(fit.lastLoss() < 0.85 * loss0, "loss " + loss0 + " -> " + fit.lastLoss());
        assertTrue(r.lastLoss().supervised() < 0.6 * sup0, "supervised loss " + sup0 + " -> " + r.lastLoss().supervised());
        assertTrue(fit.kendall() > 0.6 && fit.kendall() > tau0 + 0.3, "Kendall tau " + tau0 + " -> " + fit.kendall());
        GaeRegressor.LossParts parts = r.lastLoss();
        assertEquals(parts.total(), parts.supervised() + 0.8 * (parts.reconNormal() + parts.reconReduce()), 1e-9);
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalPredictionsAndTraining(@TempDir Path dir) throws IOException {
        GaeRegressor a = trained(SMALL, 11);
        GaeConfig cfg = a.config();
        Rng rng = new Rng(12);
        float[][] enc = ProxyTestSupport.randomEncodings(rng, 6, 0.1);
        double[] lab = labels(rng, 6);
        Path file = dir.resolve("gae.bin");
        a.save(file);
        GaeRegressor b = new GaeRegressor(CPU, new Rng(99), cfg);
        assertNotEquals(a.predict(enc)[0], b.predict(enc)[0]);
        b.load(file);
        assertArrayEquals(a.predict(enc), b.predict(enc), 0.0);
        // Adam moments, step count, BN running statistics and the dropout stream all restored: identical next step
        assertEquals(a.trainStep(enc, lab), b.trainStep(enc, lab), 0.0);
        assertArrayEquals(a.predict(enc), b.predict(enc), 0.0);

        GaeRegressor wrongSize = new GaeRegressor(CPU, new Rng(1), GaeConfig.small(8, 16));
        ProxyFileException e = assertThrows(ProxyFileException.class, () -> wrongSize.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("gae.hidden"), e.getMessage());
        ProxyFileException e2 = assertThrows(ProxyFileException.class, () -> new LstmRegressor(CPU, new Rng(1)).load(file));
        assertTrue(e2.getMessage().contains("gae-regressor") && e2.getMessage().contains("lstm-regressor"), e2.getMessage());
        ProxyFileException e3 = assertThrows(ProxyFileException.class, () -> b.loadPretrained(file));
        assertTrue(e3.getMessage().contains("gae-autoencoder"), e3.getMessage());

        Path corrupt = dir.resolve("corrupt.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 30] ^= 1;
        Files.write(corrupt, bytes);
        double[] before = b.predict(enc);
        ProxyFileException e4 = assertThrows(ProxyFileException.class, () -> b.load(corrupt));
        assertTrue(e4.getMessage().contains(corrupt.toString()), e4.getMessage());
        assertArrayEquals(before, b.predict(enc), 0.0);
        assertFalse(Files.exists(dir.resolve("gae.bin.tmp")));
    }
}
