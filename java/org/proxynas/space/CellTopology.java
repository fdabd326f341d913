package org.proxynas.space;

import java.util.List;

/**
 * The fixed wiring of a DARTS cell (docs/method.md#search-space): inputs s0 = c_{k-2} (state 0) and s1 = c_{k-1} (state 1),
 * 4 intermediate nodes (states 2..5), and 14 edges. Node i has one edge from every earlier state j &lt; 2+i; edges
 * are numbered node by node, inputs ascending:
 * n0: e0(s0) e1(s1); n1: e2(s0) e3(s1) e4(n0); n2: e5..e8; n3: e9..e13.
 */
public final class CellTopology {
    /** Intermediate nodes per cell. */
    public static final int NODES = 4;
    /** Input states of a cell (s0, s1). */
    public static final int INPUTS = 2;
    /** States in a cell: the 2 inputs plus the 4 nodes. */
    public static final int STATES = INPUTS + NODES;
    /** Edges per cell. */
    public static final int EDGES = 14;

    /** One edge: its index, the node it feeds (0..3) and the state it reads (0 .. 1+node). */
    public record Edge(int index, int node, int input) {}

    private static final int[] FIRST_EDGE = {0, 2, 5, 9, 14};
    private static final List<Edge> ALL;

    static {
        Edge[] edges = new Edge[EDGES];
        int e = 0;
        for (int node = 0; node < NODES; node++) {
            for (int input = 0; input < INPUTS + node; input++) {
                edges[e] = new Edge(e, node, input);
                e++;
            }
        }
        ALL = List.of(edges);
    }

    private CellTopology() {}

    /** All 14 edges in order. */
    public static List<Edge> edges() { return ALL; }

    /** Edge {@code e}. */
    public static Edge edge(int e) {
        checkEdge(e);
        return ALL.get(e);
    }

    /** The node (0..3) edge {@code e} feeds. */
    public static int targetNode(int e) { return edge(e).node(); }

    /** The state (0 = s0, 1 = s1, 2+i = node i) edge {@code e} reads. */
    public static int inputState(int e) { return edge(e).input(); }

    /** Number of states node {@code node} can read from (= its number of incoming edges): 2 + node. */
    public static int inputsOf(int node) {
        checkNode(node);
        return INPUTS + node;
    }

    /** Index of the first edge into {@code node}. */
    public static int firstEdge(int node) {
        checkNode(node);
        return FIRST_EDGE[node];
    }

    /** The edges into {@code node}, inputs ascending. */
    public static List<Edge> edgesOf(int node) {
        checkNode(node);
        return ALL.subList(FIRST_EDGE[node], FIRST_EDGE[node + 1]);
    }

    /** Index of the edge that carries state {@code input} into {@code node}. */
    public static int edgeIndex(int node, int input) {
        checkNode(node);
        if (input < 0 || input >= INPUTS + node) {
            throw new IllegalArgumentException("node " + node + " has no input " + input
                    + " (valid inputs 0.." + (INPUTS + node - 1) + ")");
        }
        return FIRST_EDGE[node] + input;
    }

    /** True if edge {@code e} reads a cell input (s0 or s1), i.e. it has stride 2 in a reduction cell. */
    public static boolean readsCellInput(int e) { return inputState(e) < INPUTS; }

    private static void checkNode(int node) {
        if (node < 0 || node >= NODES) {
            throw new IllegalArgumentException("node " + node + " out of range [0, " + NODES + ")");
        }
    }

    private static void checkEdge(int e) {
        if (e < 0 || e >= EDGES) throw new IllegalArgumentException("edge " + e + " out of range [0, " + EDGES + ")");
    }
}
