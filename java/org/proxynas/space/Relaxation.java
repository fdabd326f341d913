package org.proxynas.space;

/**
 * The Gumbel relaxation of docs/method.md#proxy ({@code utils.gumbel_softmax_v1}):
 * Ã = row-softmax((α + g⊙s)/τ), per cell type, with s the OIW noise scale (null = 1) and τ = 0.1 by default.
 * Computed in double; the softmax subtracts the row maximum (logits reach ~1/τ scale). The result
 * ({@link RelaxedArch}) carries Ã, the sampled single path and the backward to α.
 */
public final class Relaxation {
    /** The reference code's temperature. */
    public static final double DEFAULT_TAU = 0.1;

    private final double tau;

    public Relaxation() { this(DEFAULT_TAU); }

    public Relaxation(double tau) {
        if (!(tau > 0) || Double.isInfinite(tau)) throw new IllegalArgumentException("tau must be > 0 and finite, got " + tau);
        this.tau = tau;
    }

    public double tau() { return tau; }

    /** Relaxes α with noise g and no OIW scaling. */
    public RelaxedArch relax(ArchParams alpha, GumbelNoise g) { return relax(alpha, g, null); }

    /** Relaxes α with noise g scaled per entry by {@code scale} (null means 1). */
    public RelaxedArch relax(ArchParams alpha, GumbelNoise g, ArchParams scale) {
        float[] a = alpha.flat();
        float[] s = scale == null ? null : scale.flat();
        double[] logits = new double[ArchParams.SIZE];
        for (int i = 0; i < logits.length; i++) {
            double noise = s == null ? g.at(i) : (double) g.at(i) * s[i];
            logits[i] = (a[i] + noise) / tau;
        }
        return RelaxedArch.fromLogits(logits, tau);
    }

    /**
     * The same in double throughout, on flat arrays in {@link ArchParams} layout ({@code scale} may be null).
     * Used by gradient checks.
     */
    public RelaxedArch relax(double[] alpha, double[] g, double[] scale) {
        check(alpha, "alpha");
        check(g, "noise");
        if (scale != null) check(scale, "scale");
        double[] logits = new double[ArchParams.SIZE];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (alpha[i] + g[i] * (scale == null ? 1.0 : scale[i])) / tau;
        }
        return RelaxedArch.fromLogits(logits, tau);
    }

    private static void check(double[] x, String what) {
        if (x.length != ArchParams.SIZE) {
            throw new IllegalArgumentException(what + ": expected " + ArchParams.SIZE + " entries, got " + x.length);
        }
    }
}
