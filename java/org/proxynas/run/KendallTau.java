package org.proxynas.run;

/** Kendall's rank correlation τ-b (ties handled), over the pairs where both values are finite. */
public final class KendallTau {
    private KendallTau() {}

    /** τ-b of x and y; NaN with fewer than two finite pairs or when one side is constant. O(n²). */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        int n = 0;
        double[] a = new double[x.length], b = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                a[n] = x[i];
                b[n] = y[i];
                n++;
            }
        }
        if (n < 2) return Double.NaN;
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Double.compare(a[i], a[j]), sy = Double.compare(b[i], b[j]);
                if (sx == 0 && sy == 0) continue;
                if (sx == 0) tiesX++;
                else if (sy == 0) tiesY++;
                else if (sx == sy) concordant++;
                else discordant++;
            }
        }
        double denom = Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denom == 0 ? Double.NaN : (concordant - discordant) / denom;
    }
}
