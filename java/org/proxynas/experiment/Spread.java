package org.proxynas.experiment;

import java.util.List;

/** Mean, sample standard deviation (n - 1; 0 for one value) and best of one figure over seeds. */
public record Spread(int n, double mean, double std, double best) {

    public static Spread of(List<Double> values, boolean higherIsBetter) {
        if (values.isEmpty()) return null;
        double sum = 0, best = values.getFirst();
        for (double v : values) {
            sum += v;
            best = higherIsBetter ? Math.max(best, v) : Math.min(best, v);
        }
        double mean = sum / values.size(), sq = 0;
        for (double v : values) sq += (v - mean) * (v - mean);
        return new Spread(values.size(), mean, values.size() > 1 ? Math.sqrt(sq / (values.size() - 1)) : 0, best);
    }
}
