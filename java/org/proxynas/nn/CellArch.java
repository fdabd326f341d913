package org.proxynas.nn;

/**
 * The architecture state that all cells of one type (normal or reduce) read: per-edge mixture weights
 * (softmax of alpha) in mixture mode, or the sampled op and its relaxed weight per edge in single-path mode;
 * and the accumulated gradient of the loss with respect to the mixture weights.
 */
public final class CellArch {
    public static final int EDGES = 14;

    final float[][] mixture = new float[EDGES][Ops.COUNT];
    final int[] pathOps = new int[EDGES];
    final float[] pathWeights = new float[EDGES];
    final double[][] mixtureGrad = new double[EDGES][Ops.COUNT];
    boolean singlePath;

    CellArch() {
        for (float[] row : mixture) java.util.Arrays.fill(row, 1f / Ops.COUNT);
    }

    void setMixture(float[][] weights) {
        check(weights.length == EDGES, "mixture weights need 14 rows");
        for (int e = 0; e < EDGES; e++) {
            check(weights[e].length == Ops.COUNT, "mixture weights need 8 columns");
            System.arraycopy(weights[e], 0, mixture[e], 0, Ops.COUNT);
        }
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

    void zeroGrad() { for (double[] row : mixtureGrad) java.util.Arrays.fill(row, 0); }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
