package org.proxynas.proxy;

import java.util.ArrayList;
import java.util.List;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Primitive;

/**
 * The cell graph of docs/method.md#gae ({@code arch_matrix_to_graph}): 17 nodes (0 = c_{k-2}, 1 = c_{k-1},
 * e+2 = the op on edge e, 16 = output), 11-dim one-hot node features (0, 1, 2+k_e, 10), and a directed,
 * upper-triangular adjacency A: for op node e+2 reading state j, A[0,e+2] = v_e (j = s0), A[1,e+2] = v_e (j = s1),
 * or A[u,e+2] = v_e for every op node u summed into intermediate node j−2; and A[u,16] = 1 for u = 2..15.
 * The encoder input is Â = A + triu(A,1)ᵀ; the raw A is the reconstruction target.
 */
final class CellGraphs {
    static final int NODES = 17;
    static final int FEATURES = 11;
    static final int OUTPUT_NODE = 16;
    /** Strictly-upper-triangular entries of a 17×17 matrix (the compared part of the adjacency (docs/method.md#deviations)). */
    static final int UPPER = NODES * (NODES - 1) / 2;

    /** The (row, column) entries of A that hold v_e, per edge e of a cell. */
    private static final int[][][] ENTRIES = new int[CellTopology.EDGES][][];

    static {
        for (int e = 0; e < CellTopology.EDGES; e++) {
            int target = e + 2, input = CellTopology.inputState(e);
            List<int[]> list = new ArrayList<>();
            if (input < CellTopology.INPUTS) {
                list.add(new int[] {input, target});
            } else {
                int node = input - CellTopology.INPUTS;
                for (CellTopology.Edge in : CellTopology.edgesOf(node)) list.add(new int[] {in.index() + 2, target});
            }
            ENTRIES[e] = list.toArray(new int[0][]);
        }
    }

    private CellGraphs() {}

    /** The entries of A that carry v_e (a copy). */
    static int[][] entries(int edge) {
        int[][] src = ENTRIES[edge], out = new int[src.length][];
        for (int i = 0; i < src.length; i++) out[i] = src[i].clone();
        return out;
    }

    /** Feature index (class) of a node given the cell's ops. */
    static int featureIndex(int node, int[] cellOps) {
        if (node < 2) return node;
        if (node == OUTPUT_NODE) return FEATURES - 1;
        return 2 + cellOps[node - 2];
    }

    /** One batch of cell graphs of one cell type, host side. */
    record Host(int batch, float[] features, float[] labels, float[] adjacency, float[] adjacencyHat) {}

    static Host build(List<ArchGraph> graphs, CellType cell) {
        int b = graphs.size();
        float[] x = new float[b * NODES * FEATURES], labels = new float[b * NODES];
        float[] a = new float[b * NODES * NODES], ah = new float[b * NODES * NODES];
        int base = cell.ordinal() * CellTopology.EDGES;
        int[] ops = new int[CellTopology.EDGES];
        for (int g = 0; g < b; g++) {
            ArchGraph graph = graphs.get(g);
            for (int e = 0; e < CellTopology.EDGES; e++) ops[e] = graph.op(base + e);
            for (int node = 0; node < NODES; node++) {
                int f = featureIndex(node, ops);
                labels[g * NODES + node] = f;
                x[(g * NODES + node) * FEATURES + f] = 1f;
            }
            int ao = g * NODES * NODES;
            for (int e = 0; e < CellTopology.EDGES; e++) {
                float v = graph.weight(base + e);
                for (int[] ij : ENTRIES[e]) a[ao + ij[0] * NODES + ij[1]] = v;
            }
            for (int u = 2; u < OUTPUT_NODE; u++) a[ao + u * NODES + OUTPUT_NODE] = 1f;
            for (int i = 0; i < NODES; i++) {
                for (int j = 0; j < NODES; j++) {
                    float v = a[ao + i * NODES + j];
                    if (v != 0f) {
                        ah[ao + i * NODES + j] += v;
                        if (j > i) ah[ao + j * NODES + i] += v;
                    }
                }
            }
        }
        return new Host(b, x, labels, a, ah);
    }

    /**
     * dJ/dv_e for the 14 edges of one graph from dJ/dÂ (17×17, row-major, at offset {@code off}): Â[i,j] and Â[j,i]
     * both equal A[i,j] for i &lt; j, so dJ/dA[i,j] = dÂ[i,j] + dÂ[j,i], summed over the entries of v_e.
     */
    static void edgeWeightGradient(float[] dAdjHat, int off, double[] out, int outOff) {
        for (int e = 0; e < CellTopology.EDGES; e++) {
            double s = 0;
            for (int[] ij : ENTRIES[e]) s += (double) dAdjHat[off + ij[0] * NODES + ij[1]] + dAdjHat[off + ij[1] * NODES + ij[0]];
            out[outOff + e] = s;
        }
    }

    /** The strict upper triangle of B 17×17 matrices as a 0/1 mask. */
    static float[] upperMask(int batch) {
        float[] m = new float[batch * NODES * NODES];
        for (int g = 0; g < batch; g++) {
            for (int i = 0; i < NODES; i++) for (int j = i + 1; j < NODES; j++) m[g * NODES * NODES + i * NODES + j] = 1f;
        }
        return m;
    }

    static String describeFeature(int f) {
        if (f == 0) return "c_{k-2}";
        if (f == 1) return "c_{k-1}";
        if (f == FEATURES - 1) return "output";
        return Primitive.fromIndex(f - 2).dartsName();
    }
}
