package org.proxynas.proxy;

import java.util.Arrays;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.RelaxedArch;

/**
 * What the GAE sees of a relaxed architecture (docs/method.md#gae): per edge e of both cells (14 normal, then 14
 * reduce) the op k_e = argmax_k Ã[e,k] and the edge weight v_e = max_k Ã[e,k]. The op enters the graph as a
 * one-hot node feature (no gradient); v_e is written into the adjacency, so ŷ is differentiable in v only.
 */
public record ArchGraph(int[] ops, float[] weights) {
    /** Edges of both cells. */
    public static final int EDGES = 2 * ArchParams.ROWS;

    public ArchGraph {
        if (ops.length != EDGES || weights.length != EDGES) {
            throw new IllegalArgumentException("an ArchGraph has " + EDGES + " ops and weights, got " + ops.length + " and "
                    + weights.length);
        }
        for (int e = 0; e < EDGES; e++) {
            if (ops[e] < 0 || ops[e] >= ArchParams.COLS) throw new IllegalArgumentException("op " + ops[e] + " at edge " + e);
            if (!Float.isFinite(weights[e])) throw new IllegalArgumentException("edge weight " + e + " is " + weights[e]);
        }
        ops = ops.clone();
        weights = weights.clone();
    }

    @Override public int[] ops() { return ops.clone(); }
    @Override public float[] weights() { return weights.clone(); }

    int op(int edge) { return ops[edge]; }
    float weight(int edge) { return weights[edge]; }

    /** From a sample: k_e is the sample's chosen op (its argmax) and v_e = Ã[e, k_e]. */
    public static ArchGraph from(RelaxedArch arch) {
        int[] ops = new int[EDGES];
        float[] w = new float[EDGES];
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < ArchParams.ROWS; e++) {
                int r = cell.ordinal() * ArchParams.ROWS + e;
                ops[r] = arch.chosenOp(cell, e);
                w[r] = (float) arch.edgeWeight(cell, e);
            }
        }
        return new ArchGraph(ops, w);
    }

    /** From a stored encoding (224 floats): per row the first maximum and its value. */
    public static ArchGraph fromEncoding(float[] encoding) {
        Encodings.check(encoding, "encoding");
        int[] ops = new int[EDGES];
        float[] w = new float[EDGES];
        for (int r = 0; r < EDGES; r++) {
            int o = r * ArchParams.COLS, best = 0;
            for (int k = 1; k < ArchParams.COLS; k++) if (encoding[o + k] > encoding[o + best]) best = k;
            ops[r] = best;
            w[r] = encoding[o + best];
        }
        return new ArchGraph(ops, w);
    }

    /** The same ops with other edge weights. */
    public ArchGraph withWeights(float[] newWeights) { return new ArchGraph(ops, newWeights); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchGraph g && Arrays.equals(ops, g.ops) && Arrays.equals(weights, g.weights);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(ops) + Arrays.hashCode(weights); }

    @Override
    public String toString() { return "ArchGraph{ops=" + Arrays.toString(ops) + ", weights=" + Arrays.toString(weights) + "}"; }
}
