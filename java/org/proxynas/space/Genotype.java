package org.proxynas.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A discrete DARTS architecture: for each cell type 8 genes (2 per node, nodes in order) and the list of states
 * concatenated into the cell output. Immutable; validated on construction. The text form is DARTS's Python repr
 * ({@link GenotypeText}), the JSON form is {@link GenotypeJson}.
 *
 * <p>Validation: exactly {@value #GENES_PER_CELL} genes per cell, gene {@code 2i} and {@code 2i+1} belong to node
 * {@code i} and must read a state &lt; 2+i; concat entries are distinct states in [0, 6), non-empty. Two genes of
 * one node may read the same state (the evaluation network just sums them); derivation, random sampling and
 * mutation never produce that. {@code none} is accepted (it is a zero op) but never produced either.
 */
public record Genotype(List<Gene> normal, List<Integer> normalConcat, List<Gene> reduce, List<Integer> reduceConcat) {
    /** Genes per cell: 2 per node. */
    public static final int GENES_PER_CELL = 2 * CellTopology.NODES;
    /** The standard concat list: all four intermediate nodes. */
    public static final List<Integer> DEFAULT_CONCAT = List.of(2, 3, 4, 5);

    public Genotype {
        normal = checkGenes(CellType.NORMAL, normal);
        reduce = checkGenes(CellType.REDUCE, reduce);
        normalConcat = checkConcat(CellType.NORMAL, normalConcat);
        reduceConcat = checkConcat(CellType.REDUCE, reduceConcat);
    }

    /** A genotype with the default concat [2, 3, 4, 5] in both cells. */
    public static Genotype of(List<Gene> normal, List<Gene> reduce) {
        return new Genotype(normal, DEFAULT_CONCAT, reduce, DEFAULT_CONCAT);
    }

    /** The genes of one cell type. */
    public List<Gene> genes(CellType cell) { return cell == CellType.NORMAL ? normal : reduce; }

    /** The concat list of one cell type. */
    public List<Integer> concat(CellType cell) { return cell == CellType.NORMAL ? normalConcat : reduceConcat; }

    /** Gene {@code slot} (0..7) of a cell; node = slot / 2. */
    public Gene gene(CellType cell, int slot) { return genes(cell).get(slot); }

    /** A copy with gene {@code slot} of {@code cell} replaced (validated). */
    public Genotype withGene(CellType cell, int slot, Gene gene) {
        if (slot < 0 || slot >= GENES_PER_CELL) {
            throw new IllegalArgumentException("gene slot " + slot + " out of range [0, " + GENES_PER_CELL + ")");
        }
        List<Gene> n = new ArrayList<>(normal);
        List<Gene> r = new ArrayList<>(reduce);
        (cell == CellType.NORMAL ? n : r).set(slot, gene);
        return new Genotype(n, normalConcat, r, reduceConcat);
    }

    /** The DARTS text form, exactly as Python prints the namedtuple. */
    public String toDartsText() { return GenotypeText.format(this); }

    /** Compact JSON: {@code {"normal":[["sep_conv_3x3",0],...],"normal_concat":[2,3,4,5],...}}. */
    public String toJson() { return GenotypeJson.write(this); }

    @Override
    public String toString() { return toDartsText(); }

    /** The node (0..3) a gene slot belongs to. */
    public static int nodeOfSlot(int slot) { return slot / 2; }

    /** Checks one gene against its position; the message names the cell, node and the bad value. */
    static void checkGene(CellType cell, int slot, Gene g) {
        int node = nodeOfSlot(slot);
        if (g == null) throw new IllegalArgumentException(cell + " cell, node " + node + ": gene " + slot + " is null");
        int limit = CellTopology.inputsOf(node);
        if (g.input() >= limit) {
            throw new IllegalArgumentException(cell + " cell, node " + node + " (gene " + slot + ", op "
                    + g.op().dartsName() + "): input " + g.input() + " out of range; node " + node
                    + " can only read states 0.." + (limit - 1));
        }
    }

    private static List<Gene> checkGenes(CellType cell, List<Gene> genes) {
        Objects.requireNonNull(genes, () -> cell + " genes");
        if (genes.size() != GENES_PER_CELL) {
            throw new IllegalArgumentException(cell + " cell: expected " + GENES_PER_CELL + " genes (2 per node, "
                    + CellTopology.NODES + " nodes), got " + genes.size());
        }
        for (int slot = 0; slot < genes.size(); slot++) checkGene(cell, slot, genes.get(slot));
        return List.copyOf(genes);
    }

    private static List<Integer> checkConcat(CellType cell, List<Integer> concat) {
        Objects.requireNonNull(concat, () -> cell + "_concat");
        if (concat.isEmpty()) throw new IllegalArgumentException(cell + "_concat is empty");
        Set<Integer> seen = new HashSet<>();
        for (Integer s : concat) {
            if (s == null || s < 0 || s >= CellTopology.STATES) {
                throw new IllegalArgumentException(cell + "_concat: state " + s + " out of range [0, "
                        + CellTopology.STATES + ")");
            }
            if (!seen.add(s)) throw new IllegalArgumentException(cell + "_concat: state " + s + " repeated");
        }
        return List.copyOf(concat);
    }
}
