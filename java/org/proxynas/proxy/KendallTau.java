package org.proxynas.proxy;

/**
 * Kendall's rank correlation τ-b (as {@code scipy.stats.kendalltau}, the reference code's early-stop statistic):
 * τ_b = (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2)), with n_0 = n(n−1)/2 pairs, n_c / n_d concordant / discordant
 * pairs, n_1 / n_2 the pairs tied in x / in y (a pair tied in both counts in both). O(n²), exact for the memory
 * sizes used (n ≤ a few thousand). NaN when either sequence is constant or has fewer than 2 entries.
 */
public final class KendallTau {
    private KendallTau() {}

    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " entries, y " + y.length);
        int n = x.length;
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) throw new IllegalArgumentException("NaN at index " + i);
            for (int j = i + 1; j < n; j++) {
                int sx = x[i] < x[j] ? -1 : (x[i] > x[j] ? 1 : 0);
                int sy = y[i] < y[j] ? -1 : (y[i] > y[j] ? 1 : 0);
                if (sx == 0) tiedX++;
                if (sy == 0) tiedY++;
                if (sx != 0 && sy != 0) {
                    if (sx == sy) concordant++;
                    else discordant++;
                }
            }
        }
        long pairs = (long) n * (n - 1) / 2;
        double denom = Math.sqrt((double) (pairs - tiedX) * (double) (pairs - tiedY));
        if (!(denom > 0)) return Double.NaN;
        return (concordant - discordant) / denom;
    }

    /** tau-b over the pairs where both values are finite (reports read logs with gaps); NaN with fewer than two. */
    public static double tauBFinite(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        int n = 0;
        double[] a = new double[x.length], b = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                a[n] = x[i];
                b[n++] = y[i];
            }
        }
        return n < 2 ? Double.NaN : tauB(java.util.Arrays.copyOf(a, n), java.util.Arrays.copyOf(b, n));
    }

    /** A confidence interval of tau-b. */
    public record Interval(double low, double high) {}

    /**
     * Percentile-bootstrap interval of tau-b at the given level (e.g. 0.9): resamples the (x, y) pairs with
     * replacement; resamples where tau-b is undefined are skipped. Deterministic for a seed.
     */
    public static Interval bootstrap(double[] x, double[] y, double level, int resamples, long seed) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " entries, y " + y.length);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        int n = x.length;
        if (n < 2) return new Interval(Double.NaN, Double.NaN);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] taus = new double[resamples];
        int kept = 0;
        double[] a = new double[n], b = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(n);
                a[i] = x[j];
                b[i] = y[j];
            }
            double t = tauB(a, b);
            if (!Double.isNaN(t)) taus[kept++] = t;
        }
        if (kept == 0) return new Interval(Double.NaN, Double.NaN);
        java.util.Arrays.sort(taus, 0, kept);
        double tail = (1 - level) / 2;
        return new Interval(taus[(int) Math.floor(tail * (kept - 1))], taus[(int) Math.ceil((1 - tail) * (kept - 1))]);
    }
}
