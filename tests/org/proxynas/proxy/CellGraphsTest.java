package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

class CellGraphsTest {
    /** The complete entry list of docs/method.md#gae: {row, column, edge}. */
    private static final int[][] LISTED = {
            {0, 2, 0}, {1, 3, 1},
            {0, 4, 2}, {1, 5, 3}, {2, 6, 4}, {3, 6, 4},
            {0, 7, 5}, {1, 8, 6}, {2, 9, 7}, {3, 9, 7}, {4, 10, 8}, {5, 10, 8}, {6, 10, 8},
            {0, 11, 9}, {1, 12, 10}, {2, 13, 11}, {3, 13, 11}, {4, 14, 12}, {5, 14, 12}, {6, 14, 12},
            {7, 15, 13}, {8, 15, 13}, {9, 15, 13}, {10, 15, 13}};

    private static ArchGraph graph(int[] normalOps, float[] normalWeights) {
        int[] ops = new int[28];
        float[] w = new float[28];
        System.arraycopy(normalOps, 0, ops, 0, 14);
        System.arraycopy(normalWeights, 0, w, 0, 14);
        for (int e = 14; e < 28; e++) { ops[e] = 1; w[e] = 0.5f; }
        return new ArchGraph(ops, w);
    }

    @Test
    void adjacencyFeaturesAndSymmetrisationFollowTheReference() {
        int[] ops = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5};
        float[] v = new float[14];
        for (int e = 0; e < 14; e++) v[e] = (e + 1) / 100f;
        CellGraphs.Host h = CellGraphs.build(List.of(graph(ops, v)), CellType.NORMAL);
        float[] expected = new float[17 * 17];
        for (int[] x : LISTED) expected[x[0] * 17 + x[1]] = v[x[2]];
        for (int u = 2; u <= 15; u++) expected[u * 17 + 16] = 1f;
        assertArrayEquals(expected, h.adjacency(), 0f, "A matches the listed entries exactly");
        for (int i = 0; i < 17; i++) {
            for (int j = 0; j < 17; j++) {
                float a = expected[i * 17 + j] + (j < i ? expected[j * 17 + i] : 0f);
                assertEquals(a, h.adjacencyHat()[i * 17 + j], 0f, "Â = A + triu(A,1)ᵀ at " + i + "," + j);
            }
        }
        float[] labels = new float[17];
        labels[0] = 0;
        labels[1] = 1;
        for (int e = 0; e < 14; e++) labels[e + 2] = 2 + ops[e];
        labels[16] = 10;
        assertArrayEquals(labels, h.labels(), 0f);
        for (int node = 0; node < 17; node++) {
            for (int f = 0; f < 11; f++) {
                assertEquals(f == (int) labels[node] ? 1f : 0f, h.features()[node * 11 + f], 0f, "one-hot " + node + "," + f);
            }
        }
    }

    @Test
    void reduceGraphReadsTheSecondHalfAndBatchesStack() {
        Rng rng = new Rng(3);
        RelaxedArch a = new Relaxation(0.1).relax(ArchParams.gaussian(rng, 1), GumbelNoise.draw(rng));
        RelaxedArch b = new Relaxation(0.1).relax(ArchParams.gaussian(rng, 1), GumbelNoise.draw(rng));
        ArchGraph ga = ArchGraph.from(a), gb = ArchGraph.from(b);
        CellGraphs.Host two = CellGraphs.build(List.of(ga, gb), CellType.REDUCE);
        CellGraphs.Host one = CellGraphs.build(List.of(gb), CellType.REDUCE);
        assertArrayEquals(one.adjacency(), java.util.Arrays.copyOfRange(two.adjacency(), 289, 578), 0f);
        assertEquals(2 + b.chosenOp(CellType.REDUCE, 4), (int) two.labels()[17 + 6]);
        assertEquals((float) b.edgeWeight(CellType.REDUCE, 0), two.adjacency()[289 + 2], 0f);
        // encodings and samples give the same graph
        assertEquals(ga, ArchGraph.fromEncoding(a.encoding()));
    }

    @Test
    void edgeWeightGradientSumsBothTrianglesOfEachEntry() {
        float[] d = new float[289];
        for (int i = 0; i < d.length; i++) d[i] = i;
        double[] g = new double[14];
        CellGraphs.edgeWeightGradient(d, 0, g, 0);
        // edge 4 sits at (2,6) and (3,6)
        assertEquals((2 * 17 + 6) + (6 * 17 + 2) + (3 * 17 + 6) + (6 * 17 + 3), g[4], 0.0);
        // edge 0 at (0,2)
        assertEquals(2 + 2 * 17, g[0], 0.0);
    }

    @Test
    void upperMaskCountsTheStrictUpperTriangle() {
        float[] m = CellGraphs.upperMask(2);
        double s = 0;
        for (float x : m) s += x;
        assertEquals(2 * 136, s, 0.0);
        assertEquals(0f, m[5 * 17 + 5], 0f);
        assertEquals(1f, m[5 * 17 + 6], 0f);
    }
}
