package org.proxynas.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.proxynas.rng.Rng;

/**
 * One point mutation of a genotype: the gene at {@code slot} of {@code cell} changes from {@code before} to
 * {@code after}, which differ in exactly one of op or input. Genotypes are immutable, so {@link #apply} and
 * {@link #mutate} always return a new genotype and never touch the parent.
 */
public record Mutation(CellType cell, int slot, Gene before, Gene after) {
    public Mutation {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (slot < 0 || slot >= Genotype.GENES_PER_CELL) {
            throw new IllegalArgumentException("gene slot " + slot + " out of range [0, " + Genotype.GENES_PER_CELL + ")");
        }
        if (before.equals(after)) throw new IllegalArgumentException("a mutation must change the gene: " + before);
    }

    /** True if the op changed (else the input did). */
    public boolean changesOp() { return before.op() != after.op(); }

    /** The child: {@code parent} with this change applied (the parent is unchanged). */
    public Genotype apply(Genotype parent) {
        Gene current = parent.gene(cell, slot);
        if (!current.equals(before)) {
            throw new IllegalArgumentException("mutation expects " + before + " at " + cell + " gene " + slot
                    + " but the genotype has " + current);
        }
        return parent.withGene(cell, slot, after);
    }

    /**
     * A random point mutation of {@code parent}: a cell type and a gene slot uniformly, then with probability 1/2 a
     * new op (uniform over the other non-none ops) or else a new input (uniform over the node's states other than
     * this gene's and its sibling's, so the two inputs of a node stay distinct). Where no other input exists
     * (node 0 reads both s0 and s1) the op changes instead.
     */
    public static Mutation random(Genotype parent, Rng rng) {
        CellType cell = rng.nextBoolean() ? CellType.REDUCE : CellType.NORMAL;
        int slot = rng.nextInt(Genotype.GENES_PER_CELL);
        Gene gene = parent.gene(cell, slot);
        int node = Genotype.nodeOfSlot(slot);
        int sibling = parent.gene(cell, slot ^ 1).input();
        List<Integer> inputs = new ArrayList<>();
        for (int j = 0; j < CellTopology.inputsOf(node); j++) if (j != gene.input() && j != sibling) inputs.add(j);
        boolean changeOp = rng.nextBoolean() || inputs.isEmpty();
        Gene after;
        if (changeOp) {
            List<Primitive> ops = new ArrayList<>(Primitive.nonNone());
            ops.remove(gene.op());
            after = new Gene(ops.get(rng.nextInt(ops.size())), gene.input());
        } else {
            after = new Gene(gene.op(), inputs.get(rng.nextInt(inputs.size())));
        }
        return new Mutation(cell, slot, gene, after);
    }

    /** A mutated copy of {@code parent} (see {@link #random}); the parent is never modified. */
    public static Genotype mutate(Genotype parent, Rng rng) { return random(parent, rng).apply(parent); }
}
