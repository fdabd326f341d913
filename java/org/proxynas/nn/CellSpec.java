package org.proxynas.nn;

import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;

import java.util.List;

/**
 * A derived cell as the network builder needs it: for each of the 4 nodes two (op index, input state) pairs,
 * flattened to 8 entries in node order, and the states concatenated into the output.
 */
public record CellSpec(int[] ops, int[] inputs, int[] concat) {
    public CellSpec {
        if (ops.length != 8 || inputs.length != 8) throw new IllegalArgumentException("a cell needs 8 (op, input) pairs, got " + ops.length);
        for (int i = 0; i < 8; i++) {
            int node = i / 2;
            if (ops[i] < 0 || ops[i] >= Ops.COUNT) throw new IllegalArgumentException("op index " + ops[i] + " of node " + node + " is not in [0, 8)");
            if (inputs[i] < 0 || inputs[i] >= 2 + node) {
                throw new IllegalArgumentException("input " + inputs[i] + " of node " + node + " must be in [0, " + (2 + node) + ")");
            }
        }
        for (int c : concat) if (c < 0 || c >= 6) throw new IllegalArgumentException("concat state " + c + " must be in [0, 6)");
    }

    /** The cell of a genotype. */
    public static CellSpec of(Genotype g, CellType cell) {
        List<Gene> genes = g.genes(cell);
        int[] ops = new int[genes.size()], inputs = new int[genes.size()];
        for (int i = 0; i < ops.length; i++) { ops[i] = genes.get(i).op().index(); inputs[i] = genes.get(i).input(); }
        return new CellSpec(ops, inputs, g.concat(cell).stream().mapToInt(Integer::intValue).toArray());
    }
}
