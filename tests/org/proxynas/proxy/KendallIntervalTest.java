package org.proxynas.proxy;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

import static org.junit.jupiter.api.Assertions.*;

class KendallIntervalTest {
    @Test
    void perfectRankingGivesADegenerateInterval() {
        double[] x = {1, 2, 3, 4, 5, 6}, y = {10, 20, 30, 40, 50, 60};
        KendallTau.Interval i = KendallTau.bootstrap(x, y, 0.9, 500, 1);
        assertEquals(1.0, i.low(), 1e-12);
        assertEquals(1.0, i.high(), 1e-12);
    }

    @Test
    void intervalCoversTheSampleTauAndNarrowsWithN() {
        Rng rng = new Rng(5);
        double[] w30 = width(rng, 30), w300 = width(rng, 300);
        // tau-b's sd falls as 1/sqrt(n): ten times the samples, about a third of the width; 0.6 leaves room for
        // the bootstrap's own scatter (2000 resamples).
        assertTrue(w300[0] < 0.6 * w30[0], "width at n=30 " + w30[0] + ", at n=300 " + w300[0]);
    }

    private static double[] width(Rng rng, int n) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            y[i] = x[i] + rng.nextGaussian();
        }
        double tau = KendallTau.tauB(x, y);
        KendallTau.Interval ci = KendallTau.bootstrap(x, y, 0.9, 2000, 3);
        assertTrue(ci.low() <= tau && tau <= ci.high(), "tau " + tau + " outside [" + ci.low() + ", " + ci.high() + "]");
        return new double[] {ci.high() - ci.low()};
    }
}
