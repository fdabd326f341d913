package org.proxynas.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference values: closed forms where they exist, else scipy.stats 1.x (quoted to the digits compared). */
class StatsTest {
    @Test
    void incompleteBetaMatchesTheBinomialSum() {
        // I_x(a, b) for integer a, b is P(Binomial(a+b-1, x) >= a): I_0.5(2, 3) = (6 + 4 + 1) / 16 exactly.
        assertEquals(11.0 / 16, Stats.incompleteBeta(0.5, 2, 3), 1e-13);
        // I_0.3(1, 1) = 0.3 (uniform).
        assertEquals(0.3, Stats.incompleteBeta(0.3, 1, 1), 1e-13);
    }

    @Test
    void studentTAtKnownPoints() {
        assertEquals(0.5, Stats.tCdf(0, 5), 1e-14);
        assertEquals(0.75, Stats.tCdf(1, 1), 1e-12);                  // Cauchy: 1/2 + atan(1)/pi
        assertEquals(0.019825117332800214, Stats.tCdf(-2.5, 7.3), 1e-10); // scipy t.cdf(-2.5, 7.3)
        assertEquals(2.045229642132703, Stats.tQuantile(0.975, 29), 1e-9); // scipy t.ppf(0.975, 29)
        assertEquals(12.706204736174698, Stats.tQuantile(0.975, 1), 1e-7); // tan(0.475 pi)
        // F(2, 2): CDF f / (1 + f), so the 0.95 quantile is 19; F(1, d2) is t(d2) squared.
        assertEquals(0.5, Stats.fCdf(1, 2, 2), 1e-13);
        assertEquals(19, Stats.fQuantile(0.95, 2, 2), 1e-9);
        assertEquals(Math.pow(Stats.tQuantile(0.975, 29), 2), Stats.fQuantile(0.95, 1, 29), 1e-8);
    }

    @Test
    void meanSdAndConfidenceHalfWidth() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(3, Stats.mean(x), 0);
        assertEquals(Math.sqrt(2.5), Stats.sd(x), 1e-15);
        // t_{0.975, 4} = 2.7764451051977987 (scipy) times sd / sqrt(5)
        assertEquals(2.7764451051977987 * Math.sqrt(2.5) / Math.sqrt(5), Stats.ci95(x), 1e-9);
    }

    @Test
    void welchAndPairedTests() {
        // scipy ttest_ind(equal_var=False): t -1.8973665961010275, df 5.882352941176471 (= 6.25 / 1.0625), p 0.10753119493062728
        Stats.Test w = Stats.welch(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 6, 8, 10});
        assertEquals(-3 / Math.sqrt(2.5), w.t(), 1e-12);
        assertEquals(6.25 / 1.0625, w.df(), 1e-12);
        assertEquals(0.10753119493062728, w.p(), 1e-9);
        // scipy ttest_rel: t -1.0540925533894598, p 0.3513010029632597
        Stats.Test p = Stats.paired(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 5, 3, 9});
        assertEquals(-1.0540925533894598, p.t(), 1e-12);
        assertEquals(0.3513010029632597, p.p(), 1e-9);
    }

    @Test
    void spearmanWithTies() {
        // scipy spearmanr: 0.7631578947368421 (average ranks for ties)
        assertEquals(0.7631578947368421, Stats.spearman(new double[] {1, 2, 2, 3, 5}, new double[] {2, 1, 3, 3, 4}), 1e-12);
    }
}
