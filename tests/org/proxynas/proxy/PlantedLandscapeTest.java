package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxynas.proxy.ProxyTestSupport.CPU;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.Relaxation;

/**
 * End-to-end sign check of the proxy loop: a regressor trained on a planted landscape where every edge prefers
 * sep_conv_3x3 (lower loss the more of it), then repeated {@link ArchitectureStep}s from the DARTS initialisation
 * must move α toward that op on (almost) every edge. A flipped gradient anywhere between ŷ and α fails it.
 * The steps use τ = 1 and fresh Gumbel noise each time: at τ = 0.1 the rows are nearly one-hot and only the sampled
 * op gets a gradient, so the drift needs many more steps than a unit test should take.
 */
class PlantedLandscapeTest {
    static final int PREFERRED = 4; // sep_conv_3x3

    /** Per-edge Ã of the preferred op, averaged over the 28 edges. */
    private static double preferredShare(float[] enc) { return ProxyTestSupport.meanOp(enc, PREFERRED); }

    private static void assertMovesTowardThePreferredOp(Regressor r, int steps, int minRows) {
        Rng rng = new Rng(100);
        ArchParams alpha = ArchParams.init(rng);
        ArchitectureStep opt = new ArchitectureStep();
        Relaxation relax = new Relaxation(1.0);
        Oiw oiw = new Oiw();
        ArchParams start = alpha.copy();
        for (int t = 0; t < steps; t++) {
            ArchitectureStep.Result res = opt.step(alpha, GumbelNoise.draw(rng), null, relax, r);
            oiw.update(res.gradient());
        }
        int rows = 0;
        double lead = 0;
        for (int row = 0; row < 28; row++) {
            int best = 0;
            double others = 0;
            for (int k = 0; k < 8; k++) {
                float a = alpha.flat()[row * 8 + k];
                if (a > alpha.flat()[row * 8 + best]) best = k;
                if (k != PREFERRED) others += a / 7;
            }
            if (best == PREFERRED) rows++;
            lead += alpha.flat()[row * 8 + PREFERRED] - others;
        }
        assertTrue(rows >= minRows, r.kind() + ": preferred op leads on " + rows + " of 28 edges:\n" + alpha);
        assertTrue(lead / 28 > 5 * 3e-4, r.kind() + ": mean lead of the preferred op " + lead / 28);
        // the proxy's prediction improved: mean ŷ over the same 20 noise draws at the start and the end
        double before = 0, after = 0;
        for (int i = 0; i < 20; i++) {
            GumbelNoise g = GumbelNoise.draw(rng);
            before += r.predict(new float[][] {relax.relax(start, g).encoding()})[0];
            after += r.predict(new float[][] {relax.relax(alpha, g).encoding()})[0];
        }
        assertTrue(after < before, r.kind() + ": mean ŷ " + before / 20 + " -> " + after / 20);
        // OIW saw the same gradients: the preferred op is the most "important" one on average
        double[] w = oiw.weights();
        double pref = 0, rest = 0;
        for (int row = 0; row < 28; row++) {
            for (int k = 0; k < 8; k++) {
                if (k == PREFERRED) pref += w[row * 8 + k] / 28;
                else rest += w[row * 8 + k] / (28 * 7);
            }
        }
        assertTrue(pref > rest, r.kind() + ": OIW of the preferred op " + pref + " vs others " + rest);
    }

    @Test
    void lstmProxyStepsTowardThePlantedOptimum() {
        Rng rng = new Rng(1);
        ArchMemory memory = new ArchMemory(100);
        for (int i = 0; i < 100; i++) {
            float[] enc = ProxyTestSupport.randomEncoding(rng, 1.0);
            memory.add(enc, 1.0 - 3.0 * (preferredShare(enc) - 0.125));
        }
        LstmRegressor r = new LstmRegressor(CPU, new Rng(2),
                new LstmRegressor.Config(16, RegressionLoss.MSE, AdamConfig.regressorDefault().withLr(1e-2)));
        RegressorTrainer.FitResult fit = new RegressorTrainer(r, new Rng(3),
                new RegressorTrainer.Config(64, 150, RegressorTrainer.StopRule.KENDALL, 0.8)).fit(memory);
        assertTrue(fit.kendall() > 0.7, "the proxy must have learned the landscape first: tau " + fit.kendall());
        assertMovesTowardThePreferredOp(r, 60, 26);
    }

    /**
     * The same landscape and steps with the ridge proxy, which represents it exactly (it is linear in Ã), on 300
     * samples: with fewer samples than the 224 features the fit is the landscape's projection onto the samples' span,
     * which leaves noise on the other ops' weights, and Adam moves every op whose weight lies below the row's mean by
     * about lr per step however small the difference (measured: the planted op then leads on 18 of 28 edges).
     */
    @Test
    void ridgeProxyStepsTowardThePlantedOptimum() {
        Rng rng = new Rng(1);
        ArchMemory memory = new ArchMemory(300);
        for (int i = 0; i < 300; i++) {
            float[] enc = ProxyTestSupport.randomEncoding(rng, 1.0);
            memory.add(enc, 1.0 - 3.0 * (preferredShare(enc) - 0.125));
        }
        RidgeRegressor r = new RidgeRegressor(CPU);
        RegressorTrainer.FitResult fit = new RegressorTrainer(r, new Rng(3)).fit(memory);
        assertTrue(fit.kendall() > 0.9, "the proxy must have learned the landscape first: tau " + fit.kendall());
        assertMovesTowardThePreferredOp(r, 60, 26);
    }

    /**
     * The GAE's α gradient flows only through the sampled op's edge weight, so it can only strengthen or weaken the
     * op the noise selects. The steps therefore use fixed noise that selects the planted op on every edge
     * (g[e, op] = 3, else 0; τ = 1, so v_e ≈ 0.74), and the check runs both ways: where the planted op lowers the
     * loss, α must move toward it on most edges (≥ 20 of 28; chance gives 14 ± 2.6, a flipped sign ≈ 0); where it
     * raises the loss, away from it.
     */
    @Test
    void gaeProxyStrengthensAPreferredOpAndWeakensAnAvoidedOne() {
        for (int sign : new int[] {+1, -1}) {
            Rng rng = new Rng(4);
            ArchMemory memory = new ArchMemory(64);
            Relaxation relax = new Relaxation(1.0);
            for (int i = 0; i < 64; i++) {
                // samples from where the steps start (α ≈ 0, τ = 1), as the search's memory holds samples around α
                float[] enc = relax.relax(ArchParams.init(rng), GumbelNoise.draw(rng)).encoding();
                ArchGraph g = ArchGraph.fromEncoding(enc);
                double s = 0;
                for (int e = 0; e < 28; e++) if (g.ops()[e] == PREFERRED) s += g.weights()[e];
                memory.add(enc, Math.max(0.2, Math.min(1.8, 1.0 - sign * 12.0 * (s / 28 - 0.05))));
            }
            GaeRegressor r = new GaeRegressor(CPU, new Rng(5), GaeConfig.small(16, 16)
                    .withAdam(AdamConfig.regressorDefault().withLr(3e-3)));
            RegressorTrainer.FitResult fit = new RegressorTrainer(r, new Rng(6),
                    new RegressorTrainer.Config(32, 30, RegressorTrainer.StopRule.KENDALL, 0.8)).fit(memory);
            assertTrue(fit.kendall() > 0.3, sign + ": the proxy must have learned the landscape first: tau " + fit.kendall());

            float[] noise = new float[ArchParams.SIZE];
            for (int row = 0; row < 28; row++) noise[row * 8 + PREFERRED] = 3f;
            GumbelNoise g = GumbelNoise.fromFlat(noise);
            ArchParams alpha = ArchParams.init(rng);
            ArchitectureStep opt = new ArchitectureStep();
            double j0 = 0, j1 = 0;
            for (int t = 0; t < 40; t++) {
                double j = opt.step(alpha, g, null, relax, r).objective();
                if (t == 0) j0 = j;
                j1 = j;
            }
            int rows = 0;
            for (int row = 0; row < 28; row++) {
                double others = 0;
                for (int k = 0; k < 8; k++) if (k != PREFERRED) others += alpha.flat()[row * 8 + k] / 7;
                if (sign * (alpha.flat()[row * 8 + PREFERRED] - others) > 0) rows++;
            }
            assertTrue(rows >= 20, (sign > 0 ? "toward" : "away from") + " the planted op on only " + rows
                    + " of 28 edges:\n" + alpha);
            assertTrue(j1 < j0, sign + ": J = ŷ² on the fixed sample must fall: " + j0 + " -> " + j1);
        }
    }
}
