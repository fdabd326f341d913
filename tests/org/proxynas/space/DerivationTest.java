package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DerivationTest {
    private static final int NONE = 0, MAX = 1, AVG = 2, SKIP = 3, SEP3 = 4, SEP5 = 5, DIL3 = 6, DIL5 = 7;

    @Test
    void handCraftedAlpha() {
        ArchParams a = ArchParams.zeros();
        CellType n = CellType.NORMAL;
        // node 0: s1 (dil5 0.6) beats s0 (sep3 0.2): best edge first
        a.set(n, 0, SEP3, 0.2f);
        a.set(n, 1, DIL5, 0.6f);
        // node 1: a huge 'none' on s0 is ignored; n0 (sep5 0.5) > s1 (skip 0.4) > s0 (avg 0.1)
        a.set(n, 2, NONE, 10f);
        a.set(n, 2, AVG, 0.1f);
        a.set(n, 3, SKIP, 0.4f);
        a.set(n, 4, SEP5, 0.5f);
        // node 2: tie 0.7 between s1 (sep3) and n1 (dil3): the lower input comes first
        a.set(n, 5, MAX, 0.1f);
        a.set(n, 6, SEP3, 0.7f);
        a.set(n, 8, DIL3, 0.7f);
        // node 3: all negative; n0 (avg -0.2) best, then n2 where sep3 and sep5 tie at -0.5 (lower op wins)
        for (int e = 9; e <= 13; e++) for (int k = 0; k < 8; k++) a.set(n, e, k, -1f);
        a.set(n, 11, AVG, -0.2f);
        a.set(n, 13, SEP3, -0.5f);
        a.set(n, 13, SEP5, -0.5f);
        // reduce cell: 'none' large everywhere, all else 0 -> inputs 0,1 and max_pool (lowest non-none) everywhere
        for (int e = 0; e < 14; e++) a.set(CellType.REDUCE, e, NONE, 5f);

        Genotype expected = GenotypeText.parse("Genotype(normal=[('dil_conv_5x5', 1), ('sep_conv_3x3', 0), "
                + "('sep_conv_5x5', 2), ('skip_connect', 1), ('sep_conv_3x3', 1), ('dil_conv_3x3', 3), "
                + "('avg_pool_3x3', 2), ('sep_conv_3x3', 4)], normal_concat=[2, 3, 4, 5], "
                + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), "
                + "('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)], "
                + "reduce_concat=[2, 3, 4, 5])");
        assertEquals(expected, Derivation.derive(a));
    }

    @Test
    void derivingAnEncodedGenotypeRecoversIt() {
        for (Genotype g : Genotypes.builtins().values()) {
            ArchParams a = ArchParams.zeros();
            for (CellType cell : CellType.values()) {
                for (int slot = 0; slot < 8; slot++) {
                    Gene gene = g.gene(cell, slot);
                    int e = CellTopology.edgeIndex(slot / 2, gene.input());
                    a.set(cell, e, gene.op().index(), slot % 2 == 0 ? 2f : 1f); // first gene scores higher
                }
            }
            assertEquals(g, Derivation.derive(a));
        }
    }

    @Test
    void nanAlphaIsRejected() {
        ArchParams a = ArchParams.zeros();
        a.set(CellType.REDUCE, 3, SEP5, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Derivation.derive(a));
        assertEquals("alpha is NaN at reduce edge 3, op sep_conv_5x5", e.getMessage());
    }
}
