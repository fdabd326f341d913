package org.proxynas.space;

import java.util.Arrays;

/**
 * One relaxed architecture sample Ã (docs/method.md#proxy): two row-stochastic 14×8 matrices in {@link ArchParams}
 * layout, the sampled op per edge k*(e) = argmax_k Ã[e,k] (may be {@code none}; ties go to the lower index), its
 * weight Ã[e,k*], and the backward from dJ/dÃ to dJ/dα. Immutable.
 */
public final class RelaxedArch {
    private final double[] probs;
    private final int[] chosen;
    private final double tau;

    private RelaxedArch(double[] probs, int[] chosen, double tau) {
        this.probs = probs;
        this.chosen = chosen;
        this.tau = tau;
    }

    /** Row softmax of logits (already divided by τ), max-subtracted. */
    static RelaxedArch fromLogits(double[] logits, double tau) {
        int rows = 2 * ArchParams.ROWS, cols = ArchParams.COLS;
        double[] p = new double[logits.length];
        int[] chosen = new int[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int best = 0;
            for (int k = 1; k < cols; k++) if (logits[o + k] > logits[o + best]) best = k;
            double max = logits[o + best];
            if (Double.isNaN(max) || Double.isInfinite(max)) {
                throw new IllegalArgumentException("non-finite logit in row " + r + ": " + max);
            }
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                double x = logits[o + k];
                if (Double.isNaN(x)) throw new IllegalArgumentException("NaN logit in row " + r + ", column " + k);
                p[o + k] = Math.exp(x - max);
                sum += p[o + k];
            }
            for (int k = 0; k < cols; k++) p[o + k] /= sum;
            chosen[r] = best;
        }
        return new RelaxedArch(p, chosen, tau);
    }

    /** The temperature this sample was drawn with. */
    public double tau() { return tau; }

    /** Ã[cell][edge][op]. */
    public double prob(CellType cell, int edge, int op) { return probs[ArchParams.index(cell, edge, op)]; }

    /** k*(e): the op index the single path runs on this edge. */
    public int chosenOp(CellType cell, int edge) { return chosen[row(cell, edge)]; }

    /** k*(e) as a primitive. */
    public Primitive chosen(CellType cell, int edge) { return Primitive.fromIndex(chosenOp(cell, edge)); }

    /** Ã[e, k*(e)], the weight the single-path edge output is multiplied by. */
    public double edgeWeight(CellType cell, int edge) {
        int r = row(cell, edge);
        return probs[r * ArchParams.COLS + chosen[r]];
    }

    /** Ã as doubles (a copy, {@link ArchParams} layout). */
    public double[] probabilities() { return probs.clone(); }

    /**
     * Ã as floats (a copy): the architecture encoding stored in the memory and fed to the regressor, i.e. the
     * 28×8 sequence cat(Ã_normal, Ã_reduce).
     */
    public float[] encoding() {
        float[] f = new float[probs.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) probs[i];
        return f;
    }

    /** The single path this sample selects. */
    public SampledPath path() { return SampledPath.from(this); }

    /**
     * dJ/dα from dJ/dÃ (both in {@link ArchParams} layout), in double. Per row:
     * dJ/dα_k = Ã_k·(d_k − Σ_j Ã_j d_j) / τ. The noise is a constant.
     */
    public double[] backward(double[] dJdA) {
        if (dJdA.length != probs.length) {
            throw new IllegalArgumentException("dJ/dÃ: expected " + probs.length + " entries, got " + dJdA.length);
        }
        int cols = ArchParams.COLS;
        double[] out = new double[probs.length];
        for (int o = 0; o < probs.length; o += cols) {
            double dot = 0;
            for (int k = 0; k < cols; k++) dot += probs[o + k] * dJdA[o + k];
            for (int k = 0; k < cols; k++) out[o + k] = probs[o + k] * (dJdA[o + k] - dot) / tau;
        }
        return out;
    }

    /** {@link #backward(double[])} for float dJ/dÃ (e.g. a regressor's input gradient); returns α's shape. */
    public ArchParams backward(float[] dJdA) {
        double[] d = new double[dJdA.length];
        for (int i = 0; i < d.length; i++) d[i] = dJdA[i];
        double[] g = backward(d);
        float[] f = new float[g.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) g[i];
        return ArchParams.fromFlat(f);
    }

    /**
     * dJ/dα when J depends on Ã only through the edge weights w_e = max_k Ã[e,k] (the GAE path, docs/method.md#proxy):
     * {@code dJdw} has 28 entries, normal edges then reduce edges.
     */
    public double[] backwardEdgeWeights(double[] dJdw) {
        if (dJdw.length != chosen.length) {
            throw new IllegalArgumentException("dJ/dw: expected " + chosen.length + " entries, got " + dJdw.length);
        }
        double[] dA = new double[probs.length];
        for (int r = 0; r < chosen.length; r++) dA[r * ArchParams.COLS + chosen[r]] = dJdw[r];
        return backward(dA);
    }

    private static int row(CellType cell, int edge) {
        if (edge < 0 || edge >= ArchParams.ROWS) {
            throw new IndexOutOfBoundsException("edge " + edge + " out of [0, " + ArchParams.ROWS + ")");
        }
        return cell.ordinal() * ArchParams.ROWS + edge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelaxedArch r && tau == r.tau && Arrays.equals(probs, r.probs);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(probs); }

    @Override
    public String toString() { return "RelaxedArch{tau=" + tau + ", path=" + path() + "}"; }
}
