package org.proxynas.nn;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The architecture state that all cells of one type (normal or reduce) read: per-edge mixture weights
 * (softmax of alpha) in mixture mode, or the sampled op and its relaxed weight per edge in single-path mode;
 * and the accumulated gradient of the loss with respect to the mixture weights.
 *
 * <p>The mixture weights and their gradient live in backend memory: the node sums read the weights there when they
 * run and add the gradient there ({@link org.proxynas.tensor.TermWeights}), so a mixture-mode step reads nothing
 * back and can be captured as a graph whose replays see each new set of weights. New weights are one upload (none
 * when they did not change); the gradient is one read back, when the alpha step asks for it.
 */
public final class CellArch {
    public static final int EDGES = 14;

    /** The weights last written to {@link #mixtureValues}, to skip uploads of unchanged weights. */
    private final float[] mixture = new float[EDGES * Ops.COUNT];
    /** Mixture weight of op k on edge e at slot e * 8 + k ({@link #slot}). */
    final Tensor mixtureValues;
    /** d loss / d mixture weight per slot, doubles kept as {@link DoublePairs}, summed over the cells of this type. */
    final Tensor mixtureGrads;
    final int[] pathOps = new int[EDGES];
    final float[] pathWeights = new float[EDGES];
    boolean singlePath;

    CellArch(Backend backend) {
        java.util.Arrays.fill(mixture, 1f / Ops.COUNT);
        mixtureValues = backend.fromHost(mixture, mixture.length);
        mixtureGrads = backend.allocate(2 * mixture.length);
    }

    static int slot(int edge, int op) { return edge * Ops.COUNT + op; }

    void setMixture(float[][] weights) {
        check(weights.length == EDGES, "mixture weights need 14 rows");
        for (int e = 0; e < EDGES; e++) check(weights[e].length == Ops.COUNT, "mixture weights need 8 columns");
        boolean changed = false;
        for (int e = 0; e < EDGES; e++) {
            for (int k = 0; k < Ops.COUNT; k++) {
                changed |= Float.floatToRawIntBits(weights[e][k]) != Float.floatToRawIntBits(mixture[slot(e, k)]);
                mixture[slot(e, k)] = weights[e][k];
            }
        }
        if (changed) mixtureValues.fromHost(mixture);
        singlePath = false;
    }

    void setPath(int[] ops, float[] weights) {
        check(ops.length == EDGES && weights.length == EDGES, "a path needs 14 ops and 14 weights");
        for (int e = 0; e < EDGES; e++) {
            check(ops[e] >= 0 && ops[e] < Ops.COUNT, "path op of edge " + e + " must be in [0, 8), got " + ops[e]);
        }
        System.arraycopy(ops, 0, pathOps, 0, EDGES);
        System.arraycopy(weights, 0, pathWeights, 0, EDGES);
        singlePath = true;
    }

    /** Zeroes the mixture-weight gradient (a launch). */
    void zeroGrad(Kernels k) { k.fill(mixtureGrads, 0f); }

    /** The mixture-weight gradient, 14 x 8 (one read back). */
    double[][] mixtureGrad() {
        float[] raw = mixtureGrads.toHost();
        double[][] g = new double[EDGES][Ops.COUNT];
        for (int e = 0; e < EDGES; e++) for (int k = 0; k < Ops.COUNT; k++) g[e][k] = DoublePairs.get(raw, slot(e, k));
        return g;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
