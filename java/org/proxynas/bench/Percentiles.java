package org.proxynas.bench;

import java.util.Arrays;
import java.util.List;

/** Linearly interpolated percentiles, as the PyTorch peer computes them (so medians compare like for like). */
final class Percentiles {
    private Percentiles() {}

    /** The q-quantile (0 <= q <= 1) of xs, interpolating between the two nearest ranks; xs must not be empty. */
    static double of(List<Double> xs, double q) {
        if (xs.isEmpty()) throw new IllegalArgumentException("no samples");
        double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        double i = q * (s.length - 1);
        int lo = (int) i, hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (i - lo);
    }
}
