package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

class KendallTauTest {
    @Test
    void perfectAndReversedOrder() {
        assertEquals(1.0, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 0.0);
        assertEquals(-1.0, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 0.0);
    }

    @Test
    void handCountedWithoutTies() {
        // pairs of x=[1..5], y=[3,1,2,5,4]: discordant (0,1) (0,2) (3,4), the other 7 concordant -> (7-3)/10
        assertEquals(0.4, KendallTau.tauB(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4}), 1e-15);
    }

    @Test
    void handCountedWithTies() {
        // x=[1,2,2,3], y=[1,2,3,3]: 4 concordant, 0 discordant, 1 pair tied in x, 1 tied in y, n0 = 6
        // tau_b = 4 / sqrt((6-1)(6-1)) = 0.8 (scipy.stats.kendalltau gives 0.8)
        assertEquals(0.8, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}), 1e-15);
        // x=[1,2,3], y=[1,1,2]: 2 concordant, y ties 1 -> 2 / sqrt(3 * 2)
        assertEquals(2 / Math.sqrt(6), KendallTau.tauB(new double[] {1, 2, 3}, new double[] {1, 1, 2}), 1e-15);
        // x=[1,1,2,2], y=[1,2,1,2]: 1 concordant, 1 discordant, 2 tied in x, 2 tied in y -> 0
        assertEquals(0.0, KendallTau.tauB(new double[] {1, 1, 2, 2}, new double[] {1, 2, 1, 2}), 1e-15);
        // a pair tied in both counts in both tie terms: x=y=[1,1,2] -> 2 / sqrt(2 * 2) = 1
        assertEquals(1.0, KendallTau.tauB(new double[] {1, 1, 2}, new double[] {1, 1, 2}), 1e-15);
        // x=[1,2,2,2,3], y=[2,1,3,3,4]: concordant (0,2)(0,3)(0,4)(1,4)(2,4)(3,4)=6, discordant (0,1)=1,
        // tied in x: (1,2)(1,3)(2,3)=3, tied in y: (2,3)=1 -> 5 / sqrt(7 * 9)
        assertEquals(5 / Math.sqrt(63), KendallTau.tauB(new double[] {1, 2, 2, 2, 3}, new double[] {2, 1, 3, 3, 4}), 1e-15);
    }

    @Test
    void degenerateInputs() {
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "constant x");
        assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1}, new double[] {1})), "one entry");
        assertThrows(IllegalArgumentException.class, () -> KendallTau.tauB(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> KendallTau.tauB(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }

    @Test
    void symmetricAndInvariantToMonotoneMaps() {
        Rng rng = new Rng(1);
        double[] x = new double[60], y = new double[60], ey = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = Math.floor(rng.nextDouble() * 10); // many ties
            y[i] = x[i] + rng.nextGaussian() * 3;
            ey[i] = Math.exp(y[i]);
        }
        double t = KendallTau.tauB(x, y);
        assertEquals(t, KendallTau.tauB(y, x), 1e-15);
        assertEquals(t, KendallTau.tauB(x, ey), 1e-15);
        assertTrue(t > 0.3 && t < 1, "correlated data: " + t);
    }

    @Test
    void finiteVariantSaysNaNForNaNInputOrNoRanking() {
        assertEquals(1.0, KendallTau.tauBFinite(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(0.4, KendallTau.tauBFinite(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4}), 1e-12);
        assertTrue(Double.isNaN(KendallTau.tauBFinite(new double[] {1, Double.NaN}, new double[] {1, 2})));
        assertTrue(Double.isNaN(KendallTau.tauBFinite(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    }
}
