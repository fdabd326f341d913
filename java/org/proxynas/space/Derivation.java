package org.proxynas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * Standard DARTS derivation of a genotype from raw α (docs/method.md#search-space; PVLL uses raw α, not softmax): for each node,
 * score each incoming edge by max_{k≠none} α[e,k], keep the two best edges (ties: lower input first), and on each
 * take argmax_{k≠none} α[e,k] (ties: lower op index). Genes are listed in that order (best edge first), as DARTS
 * does. Concat [2, 3, 4, 5].
 */
public final class Derivation {
    private Derivation() {}

    /** Fails if α holds a NaN (a diverged search), naming the entry. */
    public static Genotype derive(ArchParams alpha) {
        float[] a = alpha.flat();
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i])) {
                int c = i / ArchParams.CELL_SIZE, r = i % ArchParams.CELL_SIZE;
                throw new IllegalArgumentException("alpha is NaN at " + CellType.values()[c] + " edge "
                        + r / ArchParams.COLS + ", op " + Primitive.fromIndex(r % ArchParams.COLS));
            }
        }
        return Genotype.of(deriveCell(alpha, CellType.NORMAL), deriveCell(alpha, CellType.REDUCE));
    }

    /** The 8 genes of one cell type. */
    public static List<Gene> deriveCell(ArchParams alpha, CellType cell) {
        List<Gene> genes = new ArrayList<>(Genotype.GENES_PER_CELL);
        for (int node = 0; node < CellTopology.NODES; node++) {
            int n = CellTopology.inputsOf(node);
            int best = -1, second = -1;
            for (int j = 0; j < n; j++) { // strict '>' keeps the lower input on ties
                float s = score(alpha, cell, CellTopology.edgeIndex(node, j));
                if (best < 0 || s > score(alpha, cell, CellTopology.edgeIndex(node, best))) {
                    second = best;
                    best = j;
                } else if (second < 0 || s > score(alpha, cell, CellTopology.edgeIndex(node, second))) {
                    second = j;
                }
            }
            for (int j : new int[] {best, second}) {
                genes.add(new Gene(Primitive.fromIndex(bestOp(alpha, cell, CellTopology.edgeIndex(node, j))), j));
            }
        }
        return genes;
    }

    private static float score(ArchParams alpha, CellType cell, int edge) {
        return alpha.get(cell, edge, bestOp(alpha, cell, edge));
    }

    private static int bestOp(ArchParams alpha, CellType cell, int edge) {
        int best = 1;
        for (int k = 2; k < Primitive.COUNT; k++) if (alpha.get(cell, edge, k) > alpha.get(cell, edge, best)) best = k;
        return best;
    }
}
