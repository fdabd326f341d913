package org.proxynas.proxy;

import org.proxynas.space.ArchParams;

/**
 * Operation importance weight (docs/method.md#sampling-and-oiw, reference {@code utils.DimensionImportanceWeight}). After each
 * architecture step t, from the pure gradient of J (no L2 term, [I]):
 * G = (∂J/∂α)², w_t[e,k] = G[e,k] / (‖G[e,:]‖₂ + 1e-6) row by row (28 rows: 14 edges × 2 cell types), combined
 * over steps by {@link OiwMode}. The sampling scale is s = 1 − OIW, applied as g ← g ⊙ s; before the first update
 * there is no scale ({@link #scale()} is null, i.e. s ≡ 1). Accumulated in double. Not thread-safe.
 */
public final class Oiw {
    /** Added to the row norm. */
    public static final double EPS = 1e-6;

    /** Checkpoint state: accumulated Σ w_t (or the latest w_t in SINGLE mode) and the update count. */
    public record State(OiwMode mode, double[] accumulated, int updates) {
        public State {
            if (accumulated.length != ArchParams.SIZE) {
                throw new IllegalArgumentException("OIW state must have " + ArchParams.SIZE + " entries, got " + accumulated.length);
            }
            if (updates < 0) throw new IllegalArgumentException("OIW update count must be >= 0, got " + updates);
            accumulated = accumulated.clone();
        }

        @Override public double[] accumulated() { return accumulated.clone(); }
    }

    private final OiwMode mode;
    private final double[] acc = new double[ArchParams.SIZE];
    private int updates;

    public Oiw() { this(OiwMode.MEAN); }

    public Oiw(OiwMode mode) {
        if (mode == null) throw new IllegalArgumentException("OIW mode must not be null");
        this.mode = mode;
    }

    public OiwMode mode() { return mode; }

    public int updates() { return updates; }

    /** The per-step weight w_t of one gradient (224 entries, {@link ArchParams} layout). */
    public static double[] stepWeight(double[] grad) {
        if (grad.length != ArchParams.SIZE) {
            throw new IllegalArgumentException("gradient must have " + ArchParams.SIZE + " entries, got " + grad.length);
        }
        double[] w = new double[grad.length];
        int cols = ArchParams.COLS;
        for (int o = 0; o < grad.length; o += cols) {
            double norm = 0;
            for (int c = 0; c < cols; c++) {
                double g2 = grad[o + c] * grad[o + c];
                if (!Double.isFinite(g2)) throw new IllegalArgumentException("gradient entry " + (o + c) + " is " + grad[o + c]);
                w[o + c] = g2;
                norm += g2 * g2;
            }
            norm = Math.sqrt(norm) + EPS;
            for (int c = 0; c < cols; c++) w[o + c] /= norm;
        }
        return w;
    }

    /** Folds in the gradient of one architecture step. */
    public void update(double[] grad) {
        double[] w = stepWeight(grad);
        if (mode == OiwMode.SINGLE) System.arraycopy(w, 0, acc, 0, w.length);
        else for (int i = 0; i < w.length; i++) acc[i] += w[i];
        updates++;
    }

    /** Same for a float gradient. */
    public void update(ArchParams grad) {
        float[] f = grad.flat();
        double[] d = new double[f.length];
        for (int i = 0; i < d.length; i++) d[i] = f[i];
        update(d);
    }

    /** The current OIW (224 entries), all zeros before the first update. */
    public double[] weights() {
        double[] out = acc.clone();
        if (mode == OiwMode.MEAN && updates > 0) for (int i = 0; i < out.length; i++) out[i] /= updates;
        return out;
    }

    /** s = 1 − OIW for {@code Relaxation.relax}'s scale argument; null before the first update (s ≡ 1). */
    public ArchParams scale() {
        if (updates == 0) return null;
        double[] w = weights();
        float[] s = new float[w.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) (1.0 - w[i]);
        return ArchParams.fromFlat(s);
    }

    /** Like {@link #scale()} but all ones before the first update. */
    public ArchParams scaleOrOnes() {
        ArchParams s = scale();
        if (s != null) return s;
        float[] ones = new float[ArchParams.SIZE];
        java.util.Arrays.fill(ones, 1f);
        return ArchParams.fromFlat(ones);
    }

    public State state() { return new State(mode, acc, updates); }

    public static Oiw restore(State s) {
        Oiw o = new Oiw(s.mode());
        System.arraycopy(s.accumulated(), 0, o.acc, 0, ArchParams.SIZE);
        o.updates = s.updates();
        return o;
    }
}
