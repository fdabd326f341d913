package org.proxynas.nasbench;

import org.proxynas.stats.Stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotypes;

/** Every method on a tiny budget against the planted landscape. */
class StrategiesTest {
    /** Small PVLL: 6 warm-up samples, memory 10, a few regressor epochs, a fast alpha step, a narrow GAE. */
    static final PvllSettings TINY = new PvllSettings(PvllSettings.Proxy.LSTM, false, false, 6, 10, 0.1, 3e-2, 1e-3, 5, 3, 0.95,
            PvllSettings.Label.WARMUP_STANDARDISED, PvllSettings.Store.RELAXED, 8);

    static QuerySession run(Method m, int budget, long seed) { return run(m, TINY, budget, seed); }

    static QuerySession run(Method m, PvllSettings pvll, int budget, long seed) {
        QuerySession s = new QuerySession(new SyntheticOracle(1), budget);
        try (CpuBackend b = new CpuBackend(1)) {
            m.create(pvll, b).run(s, new Rng(seed));
        } catch (QuerySession.BudgetSpent ignored) {
            // the budget ended the method
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void spendsExactlyTheBudgetWithARunningBest(Method m) {
        QuerySession s = run(m, 16, 3);
        List<QueryRecord> r = s.records();
        assertEquals(16, r.size(), m.id());
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < r.size(); i++) {
            assertEquals(i + 1, r.get(i).query());
            best = Math.max(best, r.get(i).accuracy());
            assertEquals(best, r.get(i).best(), 0, "best-so-far at query " + (i + 1));
        }
        if (m.isPvll()) {
            // after the warm-up every new sample carries the regressor's prediction made before its label
            long predicted = r.stream().skip(TINY.warmup()).filter(q -> Double.isFinite(q.predicted())).count();
            assertTrue(predicted >= 1, m.id() + ": no predictions recorded");
        }
    }

    @Test
    void repeatsAreFreeAndTheBudgetEnds() {
        QuerySession s = new QuerySession(new SyntheticOracle(1), 2);
        double a = s.query(Genotypes.DARTS_V2);
        assertEquals(a, s.query(Genotypes.DARTS_V2), 0);
        assertEquals(1, s.used());
        s.query(Genotypes.PC_DARTS);
        assertThrows(QuerySession.BudgetSpent.class, () -> s.query(Genotypes.DARTS_V1));
    }

    @Test
    void aMethodThatOnlyRepeatsIsStopped() {
        QuerySession s = new QuerySession(new SyntheticOracle(1), 3);
        s.query(Genotypes.DARTS_V2);
        assertThrows(QuerySession.BudgetSpent.class, () -> { while (true) s.query(Genotypes.DARTS_V2); });
        assertEquals(1, s.used());
    }

    @Test
    void localSearchAndEvolutionBeatRandomSearchOnAnAdditiveLandscape() {
        // An additive landscape rewards single-gene moves, so both must beat random search clearly: mean best of 8
        // seeds at 300 queries, compared by Welch's test at the 1% level (a weak method fails this by a wide margin).
        double[] rs = new double[8], ls = new double[8], re = new double[8];
        for (int s = 0; s < 8; s++) {
            rs[s] = run(Method.RANDOM, 300, s).best();
            ls[s] = run(Method.LOCAL_SEARCH, 300, s).best();
            re[s] = run(Method.REGULARIZED_EVOLUTION, 300, s).best();
        }
        assertTrue(Stats.mean(ls) > Stats.mean(rs) && Stats.welch(ls, rs).p() < 0.01, "local search " + Stats.mean(ls) + " vs " + Stats.mean(rs));
        assertTrue(Stats.mean(re) > Stats.mean(rs) && Stats.welch(re, rs).p() < 0.01, "evolution " + Stats.mean(re) + " vs " + Stats.mean(rs));
        double opt = new SyntheticOracle(1).optimum();
        assertTrue(Stats.mean(ls) < opt + 0.002, "best found above the planted optimum plus noise: " + Stats.mean(ls) + " > " + opt);
    }

    /**
     * The planted landscape is linear in the one-hot genotype, which the ridge proxy represents exactly, so PVLL with it
     * must beat random search at 100 and at 300 queries (8 seeds, Welch at the 1% level). The LSTM and GAE proxies are
     * not held to this: at these sizes they rank poorly (benchmarks/RESULTS.md, predictors table).
     */
    @Test
    void pvllWithTheRidgeProxyBeatsRandomSearchOnAnAdditiveLandscape() {
        PvllSettings ridge = new PvllSettings(PvllSettings.Proxy.RIDGE, false, false, 20, 100, 0.1, 3e-1, 1e-3, 100, 2, 0.95,
                PvllSettings.Label.WARMUP_STANDARDISED, PvllSettings.Store.RELAXED, 8);
        for (int budget : new int[] {100, 300}) {
            double[] rs = new double[8], pv = new double[8];
            for (int s = 0; s < 8; s++) {
                rs[s] = run(Method.RANDOM, budget, s).best();
                pv[s] = run(Method.PVLL_RIDGE, ridge, budget, s).best();
            }
            assertTrue(Stats.mean(pv) > Stats.mean(rs) && Stats.welch(pv, rs).p() < 0.01,
                    budget + " queries: pvll-ridge " + Stats.mean(pv) + " vs random " + Stats.mean(rs) + ", p " + Stats.welch(pv, rs).p());
        }
    }
}
