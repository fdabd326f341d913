package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellTopologyTest {
    /** docs/method.md#search-space, written out: {edge, node, input}. */
    private static final int[][] EDGES = {
        {0, 0, 0}, {1, 0, 1},
        {2, 1, 0}, {3, 1, 1}, {4, 1, 2},
        {5, 2, 0}, {6, 2, 1}, {7, 2, 2}, {8, 2, 3},
        {9, 3, 0}, {10, 3, 1}, {11, 3, 2}, {12, 3, 3}, {13, 3, 4},
    };

    @Test
    void edgeOrderMatchesAlgorithm() {
        assertEquals(14, CellTopology.EDGES);
        assertEquals(14, CellTopology.edges().size());
        for (int[] row : EDGES) {
            CellTopology.Edge e = CellTopology.edge(row[0]);
            assertEquals(row[0], e.index());
            assertEquals(row[1], e.node());
            assertEquals(row[2], e.input());
            assertEquals(row[1], CellTopology.targetNode(row[0]));
            assertEquals(row[2], CellTopology.inputState(row[0]));
            assertEquals(row[0], CellTopology.edgeIndex(row[1], row[2]));
        }
    }

    @Test
    void edgesOfNode() {
        List<CellTopology.Edge> n2 = CellTopology.edgesOf(2);
        assertEquals(4, n2.size());
        assertEquals(5, n2.get(0).index());
        assertEquals(8, n2.get(3).index());
        assertEquals(9, CellTopology.firstEdge(3));
        assertEquals(5, CellTopology.inputsOf(3));
        assertThrows(IllegalArgumentException.class, () -> CellTopology.edgeIndex(0, 2));
        assertThrows(IllegalArgumentException.class, () -> CellTopology.edgesOf(4));
        assertThrows(IllegalArgumentException.class, () -> CellTopology.edge(14));
    }
}
