package org.proxynas.nb301;

import org.junit.jupiter.api.Test;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.Primitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The genotype -> 34 codes mapping against tables written out by hand from {@code encoding_v2.json} and
 * NAS-Bench-301's edge numbering (not computed by the code under test).
 */
class Nb301EncodingTest {
    /** encoding_v2.json, every edge_* table: '#na#' 0, then the ops in alphabetical order. */
    private static final Map<Primitive, Integer> OP = Map.of(
            Primitive.AVG_POOL_3X3, 1, Primitive.DIL_CONV_3X3, 2, Primitive.DIL_CONV_5X5, 3, Primitive.MAX_POOL_3X3, 4,
            Primitive.SEP_CONV_3X3, 5, Primitive.SEP_CONV_5X5, 6, Primitive.SKIP_CONNECT, 7);
    /** EDGE[node][state]: NB301's edge index of the edge from state to node (node 0..3 = DARTS states 2..5). */
    private static final int[][] EDGE = {{0, 1}, {2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12, 13}};
    /** PAIR[node - 1] = the codes of inputs_node_<node+2>, pairs listed in the JSON's order. */
    private static final Map<String, Integer>[] PAIR = pairTables();

    @SuppressWarnings("unchecked")
    private static Map<String, Integer>[] pairTables() {
        return new Map[]{
                Map.of("0_1", 1, "0_2", 2, "1_2", 3),
                Map.of("0_1", 1, "0_2", 2, "0_3", 3, "1_2", 4, "1_3", 5, "2_3", 6),
                Map.of("0_1", 1, "0_2", 2, "0_3", 3, "0_4", 4, "1_2", 5, "1_3", 6, "1_4", 7, "2_3", 8, "2_4", 9, "3_4", 10)};
    }

    /** Worked by hand from DARTS_V2's genes (see docs/nb301.md). */
    @Test
    void dartsV2ByHand() {
        int[] want = {
                5, 5, 5, 5, 0, 7, 5, 0, 0, 7, 0, 2, 0, 0,   // normal: sep3 0,1 | sep3 0,1 | skip 0, sep3 1 | skip 0, dil3 2
                4, 4, 0, 4, 7, 4, 0, 7, 0, 0, 4, 7, 0, 0,   // reduce: max 0,1 | max 1, skip 2 | max 0, skip 2 | max 1, skip 2
                1, 1, 2,                                    // normal node inputs 0_1, 0_1, 0_2
                3, 2, 5};                                   // reduce node inputs 1_2, 0_2, 1_2
        assertArrayEquals(want, Nb301Encoding.encode(Genotypes.DARTS_V2));
    }

    /** Every op on every edge of both cells (the partner gene of the node is fixed). */
    @Test
    void everyOpOnEveryEdge() {
        int checked = 0;
        for (CellType cell : CellType.values()) {
            for (int node = 0; node < 4; node++) {
                for (int state = 0; state < node + 2; state++) {
                    int partner = state == 0 ? 1 : 0;
                    for (Primitive op : Primitive.nonNone()) {
                        Genotype g = with(cell, node, new Gene(op, state), new Gene(Primitive.SKIP_CONNECT, partner));
                        assertArrayEquals(expected(g), Nb301Encoding.encode(g), cell + " node " + node + " " + op + " from " + state);
                        assertEquals(OP.get(op), Nb301Encoding.encode(g)[(cell == CellType.NORMAL ? 0 : 14) + EDGE[node][state]]);
                        checked++;
                    }
                }
            }
        }
        assertEquals(2 * 14 * 7, checked);
    }

    /** Every input pair of every node of both cells, in both gene orders. */
    @Test
    void everyInputPairOfEveryNode() {
        int checked = 0;
        for (CellType cell : CellType.values()) {
            for (int node = 1; node < 4; node++) {
                for (int a = 0; a < node + 2; a++) {
                    for (int b = a + 1; b < node + 2; b++) {
                        for (boolean swap : new boolean[]{false, true}) {
                            Gene ga = new Gene(Primitive.SEP_CONV_5X5, swap ? b : a);
                            Gene gb = new Gene(Primitive.DIL_CONV_5X5, swap ? a : b);
                            Genotype g = with(cell, node, ga, gb);
                            int[] codes = Nb301Encoding.encode(g);
                            assertArrayEquals(expected(g), codes);
                            int pairIndex = 28 + (cell == CellType.NORMAL ? 0 : 3) + node - 1;
                            assertEquals(PAIR[node - 1].get(a + "_" + b), codes[pairIndex], cell + " node " + node + " " + a + "_" + b);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(2 * 2 * (3 + 6 + 10), checked);
    }

    @Test
    void inputNamesInYahpoOrder() {
        List<String> names = Nb301Encoding.inputNames();
        assertEquals(34, names.size());
        assertEquals("edge_normal_0", names.get(0));
        assertEquals("edge_normal_13", names.get(13));
        assertEquals("edge_reduce_0", names.get(14));
        assertEquals("inputs_node_normal_3", names.get(28));
        assertEquals("inputs_node_reduce_5", names.get(33));
    }

    @Test
    void unrepresentableGenotypesAreRejectedNamingTheNode() {
        Genotype sameInput = with(CellType.REDUCE, 2, new Gene(Primitive.SEP_CONV_3X3, 1), new Gene(Primitive.MAX_POOL_3X3, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> Nb301Encoding.encode(sameInput));
        assertTrue(e.getMessage().contains("reduce cell, node 2") && e.getMessage().contains("both genes read state 1"), e.getMessage());

        Genotype none = with(CellType.NORMAL, 3, new Gene(Primitive.NONE, 4), new Gene(Primitive.MAX_POOL_3X3, 0));
        e = assertThrows(IllegalArgumentException.class, () -> Nb301Encoding.encode(none));
        assertTrue(e.getMessage().contains("normal cell, node 3") && e.getMessage().contains("'none'"), e.getMessage());

        Genotype base = Genotypes.DARTS_V2;
        Genotype concat = new Genotype(base.normal(), List.of(2, 3, 4), base.reduce(), base.reduceConcat());
        e = assertThrows(IllegalArgumentException.class, () -> Nb301Encoding.encode(concat));
        assertTrue(e.getMessage().contains("normal_concat [2, 3, 4]") && e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());

        Genotype extra = new Genotype(base.normal(), base.normalConcat(), base.reduce(), List.of(0, 2, 3, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> Nb301Encoding.encode(extra));
        // Order does not matter: NB301 always concatenates all four nodes.
        Genotype reordered = new Genotype(base.normal(), List.of(5, 4, 3, 2), base.reduce(), base.reduceConcat());
        assertArrayEquals(Nb301Encoding.encode(base), Nb301Encoding.encode(reordered));
    }

    /** DARTS_V2 with node {@code node} of {@code cell} replaced by genes a and b. */
    private static Genotype with(CellType cell, int node, Gene a, Gene b) {
        Genotype g = Genotypes.DARTS_V2.withGene(cell, 2 * node, a);
        return g.withGene(cell, 2 * node + 1, b);
    }

    /** The 34 codes from the hand tables above. */
    private static int[] expected(Genotype g) {
        int[] codes = new int[34];
        for (CellType cell : CellType.values()) {
            int edgeBase = cell == CellType.NORMAL ? 0 : 14;
            int pairBase = cell == CellType.NORMAL ? 28 : 31;
            for (int node = 0; node < 4; node++) {
                Gene a = g.gene(cell, 2 * node), b = g.gene(cell, 2 * node + 1);
                codes[edgeBase + EDGE[node][a.input()]] = OP.get(a.op());
                codes[edgeBase + EDGE[node][b.input()]] = OP.get(b.op());
                if (node > 0) {
                    List<Integer> pair = new ArrayList<>(List.of(a.input(), b.input()));
                    pair.sort(null);
                    codes[pairBase + node - 1] = PAIR[node - 1].get(pair.get(0) + "_" + pair.get(1));
                }
            }
        }
        return codes;
    }
}
