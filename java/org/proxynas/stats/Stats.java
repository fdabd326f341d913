package org.proxynas.stats;

/**
 * Small-sample statistics: mean, sample standard deviation, the 95% confidence half-width of a mean via Student's t,
 * Welch's unequal-variance t-test and the paired t-test (two-sided p-values), Fisher's F distribution. Student's t CDF is the
 * regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes' betacf), accurate to
 * about 1e-12 relative.
 */
public final class Stats {
    private Stats() {}

    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample standard deviation (n - 1); NaN for fewer than two values. */
    public static double sd(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    /** Half-width of the 95% confidence interval of the mean: t_{0.975, n-1} · sd / √n. */
    public static double ci95(double[] x) {
        if (x.length < 2) return Double.NaN;
        return tQuantile(0.975, x.length - 1) * sd(x) / Math.sqrt(x.length);
    }

    /** P(T ≤ t) for Student's t with df degrees of freedom (df > 0, not necessarily an integer). */
    public static double tCdf(double t, double df) {
        if (!(df > 0)) throw new IllegalArgumentException("degrees of freedom must be > 0, got " + df);
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** The p-quantile of Student's t (bisection on {@link #tCdf}, to 1e-12). */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        double lo = -1e3, hi = 1e3;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = 0.5 * (lo + hi);
            if (tCdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** Welch's t-test of mean(a) = mean(b): statistic, Welch-Satterthwaite degrees of freedom, two-sided p. */
    public static Test welch(double[] a, double[] b) {
        double va = variance(a) / a.length, vb = variance(b) / b.length;
        double t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return new Test(t, df, twoSided(t, df));
    }

    /** Paired t-test of mean(a - b) = 0 (a[i] and b[i] share seed i). */
    public static Test paired(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("paired test needs equal lengths, got " + a.length + " and " + b.length);
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        double t = mean(d) / (sd(d) / Math.sqrt(d.length));
        double df = d.length - 1;
        return new Test(t, df, twoSided(t, df));
    }

    /** Spearman's rank correlation (Pearson on ranks, ties given their average rank); NaN if either is constant. */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " entries, y " + y.length);
        return pearson(ranks(x), ranks(y));
    }

    static double[] ranks(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[x.length];
        for (int i = 0; i < idx.length; ) {
            int j = i;
            while (j + 1 < idx.length && x[idx[j + 1]] == x[idx[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[idx[k]] = avg;
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }

    /** A t statistic, its degrees of freedom and the two-sided p-value (NaN where undefined, e.g. zero spread). */
    public record Test(double t, double df, double p) {}

    private static double twoSided(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) return Double.NaN;
        return Math.min(1, 2 * tCdf(-Math.abs(t), df));
    }

    private static double variance(double[] x) {
        double s = sd(x);
        return s * s;
    }

    /** P(F <= f) for Fisher's F with (d1, d2) degrees of freedom. */
    public static double fCdf(double f, double d1, double d2) {
        if (f <= 0) return 0;
        return incompleteBeta(d1 * f / (d1 * f + d2), d1 / 2, d2 / 2);
    }

    /** The p-quantile of Fisher's F (bisection on {@link #fCdf}, to 1e-12 relative). */
    public static double fQuantile(double p, double d1, double d2) {
        double lo = 0, hi = 1;
        while (fCdf(hi, d1, d2) < p) hi *= 2;
        while (hi - lo > 1e-12 * hi) {
            double mid = (lo + hi) / 2;
            if (fCdf(mid, d1, d2) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** I_x(a, b), the regularized incomplete beta function. */
    static double incompleteBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
        double front = Math.exp(lnFront);
        if (x < (a + 1) / (a + b + 2)) return front * betaFraction(x, a, b) / a;
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300, eps = 1e-15;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 1000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < eps) return h;
        }
        throw new IllegalStateException("incomplete beta: no convergence for x=" + x + ", a=" + a + ", b=" + b);
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 1e-15 relative). */
    static double logGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
