package org.proxynas.nasbench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;

/**
 * Every genotype one point mutation away (the moves {@link org.proxynas.space.Mutation} draws from): one gene's op
 * changed to another non-none op, or its input changed to another state of its node that its sibling does not read.
 * Canonical and without duplicates, in a fixed order (local search shuffles it).
 */
public final class Neighbourhood {
    private Neighbourhood() {}

    public static List<Genotype> of(Genotype g) {
        Set<Genotype> out = new LinkedHashSet<>();
        Genotype self = Canonical.of(g);
        for (CellType cell : CellType.values()) {
            for (int slot = 0; slot < Genotype.GENES_PER_CELL; slot++) {
                Gene gene = g.gene(cell, slot);
                for (Primitive p : Primitive.nonNone()) {
                    if (p != gene.op()) out.add(Canonical.of(g.withGene(cell, slot, new Gene(p, gene.input()))));
                }
                int sibling = g.gene(cell, slot ^ 1).input();
                for (int in = 0; in < CellTopology.inputsOf(Genotype.nodeOfSlot(slot)); in++) {
                    if (in != gene.input() && in != sibling) out.add(Canonical.of(g.withGene(cell, slot, new Gene(gene.op(), in))));
                }
            }
        }
        out.remove(self);
        return new ArrayList<>(out);
    }
}
