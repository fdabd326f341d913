package org.proxynas.nb301;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DARTS genotype as the surrogate's 34 categorical inputs (NAS-Bench-301's configuration, integer-coded by
 * YAHPO Gym's {@code encoding_v2.json}, which ships in the jar).
 *
 * <p>NAS-Bench-301 numbers the edges of a cell by target node, then source state: node i (0..3, DARTS state 2+i)
 * has edges {@code start(i) + s} for source states s = 0..i+1, start = 0, 2, 5, 9 (14 edges). A gene (op, s) of node
 * i sets {@code edge_<cell>_<start(i)+s>} to op; the other edges are inactive ({@code #na#}). For nodes 1..3 the pair
 * of sources, ascending, is {@code inputs_node_<cell>_<i+2>} = "a_b" (node 0 always reads states 0 and 1).
 *
 * <p>Input order: index 0..13 = edge_normal_0..13, 14..27 = edge_reduce_0..13, 28..30 = inputs_node_normal_3..5,
 * 31..33 = inputs_node_reduce_3..5.
 *
 * <p>NB301 cannot represent two genes of one node reading the same state (one edge would carry two ops), the op
 * {@code none}, or a concat other than all four nodes; such genotypes are rejected.
 */
public final class Nb301Encoding {
    /** Number of categorical inputs. */
    public static final int INPUTS = 34;
    /** The shipped encoding, a class-path resource. */
    public static final String ENCODING_RESOURCE = "/org/proxynas/nb301/encoding_v2.json";

    private static final String PREFIX = "NetworkSelectorDatasetInfo_COLON_darts_COLON_";
    private static final int EDGES = 14;
    private static final int[] EDGE_START = {0, 2, 5, 9};
    private static final Set<Integer> FULL_CONCAT = Set.of(2, 3, 4, 5);
    private static final List<String> NAMES = names();
    private static final List<Map<String, Integer>> CODES = codes();

    private Nb301Encoding() {}

    /** The 34 input names in order ({@code edge_normal_0}, ..., without the ConfigSpace prefix). */
    public static List<String> inputNames() { return NAMES; }

    /**
     * The 34 integer codes of a genotype. Throws {@link IllegalArgumentException} naming the cell and node when
     * NB301 cannot represent it.
     */
    public static int[] encode(Genotype g) {
        int[] codes = new int[INPUTS];
        java.util.Arrays.fill(codes, -1);
        for (CellType cell : CellType.values()) {
            int edgeBase = cell == CellType.NORMAL ? 0 : EDGES;
            int nodeBase = cell == CellType.NORMAL ? 2 * EDGES : 2 * EDGES + 3;
            if (!Set.copyOf(g.concat(cell)).equals(FULL_CONCAT) || g.concat(cell).size() != 4) {
                throw new IllegalArgumentException(cell + "_concat " + g.concat(cell)
                        + ": NAS-Bench-301 concatenates all four nodes, [2, 3, 4, 5]");
            }
            for (int node = 0; node < 4; node++) {
                Gene a = g.gene(cell, 2 * node), b = g.gene(cell, 2 * node + 1);
                String nodeName = cell + " cell, node " + node + " (state " + (node + 2) + ")";
                for (Gene gene : List.of(a, b)) {
                    if (gene.op() == Primitive.NONE) {
                        throw new IllegalArgumentException(nodeName + ": op 'none' (input " + gene.input()
                                + ") has no NAS-Bench-301 code; every kept edge needs a real operation");
                    }
                }
                if (a.input() == b.input()) {
                    throw new IllegalArgumentException(nodeName + ": both genes read state " + a.input()
                            + "; NAS-Bench-301 needs two different input states per node");
                }
                for (Gene gene : List.of(a, b)) {
                    int index = edgeBase + EDGE_START[node] + gene.input();
                    codes[index] = code(index, gene.op().dartsName());
                }
                if (node > 0) {
                    int index = nodeBase + node - 1;
                    codes[index] = code(index, Math.min(a.input(), b.input()) + "_" + Math.max(a.input(), b.input()));
                }
            }
        }
        for (int i = 0; i < INPUTS; i++) {
            if (codes[i] < 0) codes[i] = code(i, "#na#");
        }
        return codes;
    }

    private static int code(int index, String category) {
        Integer c = CODES.get(index).get(category);
        if (c == null) {
            throw new IllegalStateException(ENCODING_RESOURCE + ": no code for '" + category + "' of " + NAMES.get(index));
        }
        return c;
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(INPUTS);
        for (String cell : List.of("normal", "reduce")) for (int e = 0; e < EDGES; e++) names.add("edge_" + cell + "_" + e);
        for (String cell : List.of("normal", "reduce")) for (int n = 3; n <= 5; n++) names.add("inputs_node_" + cell + "_" + n);
        return List.copyOf(names);
    }

    private static List<Map<String, Integer>> codes() {
        JsonNode root;
        try (InputStream in = Nb301Encoding.class.getResourceAsStream(ENCODING_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + ENCODING_RESOURCE + " is missing from the class path");
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(ENCODING_RESOURCE + ": cannot read: " + e.getMessage(), e);
        }
        List<Map<String, Integer>> out = new ArrayList<>(INPUTS);
        for (String name : NAMES) {
            JsonNode table = root.get(PREFIX + name);
            if (table == null || !table.isObject()) throw new IllegalStateException(ENCODING_RESOURCE + ": no table for " + name);
            Map<String, Integer> m = new HashMap<>();
            table.properties().forEach(e -> m.put(e.getKey(), e.getValue().asInt()));
            out.add(Map.copyOf(m));
        }
        return List.copyOf(out);
    }
}
