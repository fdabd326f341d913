package org.proxynas.chart;

/**
 * A linear axis range with "nice" ticks (1, 2, 5 × 10^k) that covers the data. Degenerate ranges (one value, or
 * nothing finite) are widened so the mapping never divides by zero.
 */
public record Scale(double min, double max, double step) {
    /** Nice ticks over [lo, hi] with about {@code target} of them. */
    public static Scale nice(double lo, double hi, int target) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) { lo = 0; hi = 1; }
        if (lo > hi) { double t = lo; lo = hi; hi = t; }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceNum((hi - lo) / Math.max(1, target - 1), true);
        if ((Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9)) > target + 2) {
            step = niceNum((hi - lo) / Math.max(1, target - 1), false);
        }
        double min = Math.floor(lo / step + 1e-9) * step, max = Math.ceil(hi / step - 1e-9) * step;
        return new Scale(min, max, step);
    }

    /** Exactly [lo, hi] (widened if degenerate) with nice ticks inside: for x axes, where padding wastes room. */
    public static Scale tight(double lo, double hi, int target) {
        Scale n = nice(lo, hi, target);
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) return n;
        return new Scale(Math.min(lo, hi), Math.max(lo, hi), n.step());
    }

    /** A fixed range with nice ticks inside it. */
    public static Scale fixed(double lo, double hi, int target) {
        double step = niceNum((hi - lo) / Math.max(1, target - 1), true);
        return new Scale(lo, hi, step);
    }

    public double[] ticks() {
        double first = Math.ceil(min / step - 1e-9) * step;
        int n = (int) Math.floor((max - first) / step + 1e-9) + 1;
        n = Math.max(0, Math.min(n, 50));
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double v = first + i * step;
            t[i] = Math.abs(v) < step * 1e-9 ? 0 : v;
        }
        return t;
    }

    /** Position of v on a pixel axis from p0 (at min) to p1 (at max). */
    public double map(double v, double p0, double p1) { return p0 + (v - min) / (max - min) * (p1 - p0); }

    private static double niceNum(double range, boolean round) {
        if (range <= 0 || !Double.isFinite(range)) return 1;
        double exp = Math.floor(Math.log10(range));
        double f = range / Math.pow(10, exp);
        double nf;
        if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nf * Math.pow(10, exp);
    }
}
