package org.proxynas.nasbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.RandomArchitectures;

class NeighbourhoodTest {
    @Test
    void everyPointMutationOnceAndNothingElse() {
        Genotype g = RandomArchitectures.genotype(new Rng(7));
        List<Genotype> n = Neighbourhood.of(g);
        // 16 genes x 6 other ops, plus per gene of node i the i states its node reads besides its own and its sibling's:
        // 2 cells x 2 genes x (0 + 1 + 2 + 3) = 24.
        assertEquals(16 * 6 + 24, n.size());
        assertEquals(n.size(), new HashSet<>(n).size());
        Genotype self = Canonical.of(g);
        for (Genotype x : n) {
            assertFalse(x.equals(self));
            int diff = 0;
            for (CellType c : CellType.values()) for (int s = 0; s < Genotype.GENES_PER_CELL; s++) if (!x.gene(c, s).equals(self.gene(c, s))) diff++;
            // one changed gene, or two when the change reorders a node's pair in the canonical form
            assertTrue(diff == 1 || diff == 2, "neighbour differs in " + diff + " genes");
        }
    }

    @Test
    void canonicalFormIgnoresTheOrderOfANodesGenes() {
        Genotype v2 = Genotypes.DARTS_V2;
        Genotype swapped = v2.withGene(CellType.NORMAL, 0, v2.gene(CellType.NORMAL, 1)).withGene(CellType.NORMAL, 1, v2.gene(CellType.NORMAL, 0));
        assertEquals(Canonical.of(v2), Canonical.of(swapped));
        assertEquals(Canonical.text(v2), Canonical.text(swapped));
    }
}
