package org.proxynas.nasbench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;

/**
 * One name per architecture: the two genes of a node are an unordered pair (derivation lists the stronger edge
 * first, sampling lists them in draw order), so the canonical form sorts each pair by input, then op. The query
 * cache and the oracle see only canonical genotypes.
 */
public final class Canonical {
    private static final Comparator<Gene> ORDER = Comparator.comparingInt(Gene::input).thenComparingInt(g -> g.op().ordinal());

    private Canonical() {}

    public static Genotype of(Genotype g) {
        return new Genotype(cell(g, CellType.NORMAL), g.normalConcat(), cell(g, CellType.REDUCE), g.reduceConcat());
    }

    /** The canonical form's compact JSON: a stable text key (its hash code is the same in every JVM). */
    public static String text(Genotype g) { return of(g).toJson(); }

    private static List<Gene> cell(Genotype g, CellType cell) {
        List<Gene> out = new ArrayList<>(Genotype.GENES_PER_CELL);
        for (int slot = 0; slot < Genotype.GENES_PER_CELL; slot += 2) {
            Gene a = g.gene(cell, slot), b = g.gene(cell, slot + 1);
            if (ORDER.compare(a, b) <= 0) { out.add(a); out.add(b); } else { out.add(b); out.add(a); }
        }
        return out;
    }
}
