package org.proxynas.space;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A single path through the supernet (what single-path mode runs): for each cell type and each of the 14 edges,
 * the op index k*(e) (0 = none allowed: the edge contributes zeros) and the weight its output is multiplied by
 * (Ã[e,k*] for a Gumbel sample, 1 for an explicit path). Immutable.
 */
public final class SampledPath {
    private static final int E = CellTopology.EDGES;

    /**
     * The PyTorch peer's seed-0 sample ({@code benchmarks/torch_peer.py}'s {@code single_path_sample}), with weights 1.
     * The peer's weights are Ã[k*] ≈ 1 and are not recorded; use this for like-for-like cost comparisons.
     */
    public static final SampledPath TORCH_PEER_SEED0 = fromShortNames(
            "dil5 max sep5 avg sep5 dil3 skip sep3 sep5 skip max sep3 sep3 dil5",
            "max skip dil3 dil3 avg sep3 dil5 sep3 avg dil3 sep5 dil5 none sep5");

    private final int[] ops;      // normal edges then reduce edges
    private final float[] weights;

    private SampledPath(int[] ops, float[] weights) {
        this.ops = ops;
        this.weights = weights;
    }

    /** Explicit op indices and weights, 14 each per cell type (copied). */
    public SampledPath(int[] normalOps, float[] normalWeights, int[] reduceOps, float[] reduceWeights) {
        this(concat(normalOps, reduceOps), concat(normalWeights, reduceWeights));
        for (int i = 0; i < ops.length; i++) {
            if (ops[i] < 0 || ops[i] >= Primitive.COUNT) {
                throw new IllegalArgumentException(cellOf(i) + " edge " + (i % E) + ": op index " + ops[i]
                        + " out of range [0, " + Primitive.COUNT + ")");
            }
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException(cellOf(i) + " edge " + (i % E) + ": weight " + weights[i] + " not finite");
            }
        }
    }

    /** Explicit op indices with weight 1 on every edge (e.g. the peer's {@code k_normal}/{@code k_reduce}). */
    public static SampledPath of(int[] normalOps, int[] reduceOps) {
        float[] ones = new float[E];
        Arrays.fill(ones, 1f);
        return new SampledPath(normalOps, ones, reduceOps, ones);
    }

    /** From whitespace-separated short names ({@code none max avg skip sep3 sep5 dil3 dil5}), weights 1. */
    public static SampledPath fromShortNames(String normal, String reduce) {
        return of(parseShort(normal, CellType.NORMAL), parseShort(reduce, CellType.REDUCE));
    }

    /** The path a relaxed sample selects: k* = argmax Ã per edge, weight Ã[e,k*]. */
    public static SampledPath from(RelaxedArch r) {
        int[] ops = new int[2 * E];
        float[] w = new float[2 * E];
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < E; e++) {
                int i = cell.ordinal() * E + e;
                ops[i] = r.chosenOp(cell, e);
                w[i] = (float) r.edgeWeight(cell, e);
            }
        }
        return new SampledPath(ops, w);
    }

    /**
     * The path that runs a discrete genotype inside the supernet: each gene's edge gets its op with weight 1, every
     * other edge {@code none}. Fails if a node has two genes on the same input (one edge cannot carry two ops).
     */
    public static SampledPath fromGenotype(Genotype g) {
        int[] ops = new int[2 * E];
        float[] w = new float[2 * E];
        for (CellType cell : CellType.values()) {
            for (int slot = 0; slot < Genotype.GENES_PER_CELL; slot++) {
                Gene gene = g.gene(cell, slot);
                int e = CellTopology.edgeIndex(Genotype.nodeOfSlot(slot), gene.input());
                int i = cell.ordinal() * E + e;
                if (w[i] != 0f) {
                    throw new IllegalArgumentException(cell + " cell, node " + Genotype.nodeOfSlot(slot)
                            + ": two genes read input " + gene.input() + "; a single path has one op per edge");
                }
                ops[i] = gene.op().index();
                w[i] = 1f;
            }
        }
        return new SampledPath(ops, w);
    }

    public int opIndex(CellType cell, int edge) { return ops[idx(cell, edge)]; }

    public Primitive op(CellType cell, int edge) { return Primitive.fromIndex(opIndex(cell, edge)); }

    public float weight(CellType cell, int edge) { return weights[idx(cell, edge)]; }

    /** The 14 op indices of a cell type (a copy). */
    public int[] opIndices(CellType cell) {
        return Arrays.copyOfRange(ops, cell.ordinal() * E, (cell.ordinal() + 1) * E);
    }

    /** The 14 weights of a cell type (a copy). */
    public float[] weights(CellType cell) {
        return Arrays.copyOfRange(weights, cell.ordinal() * E, (cell.ordinal() + 1) * E);
    }

    /** The short op names of a cell type, space-separated (the peer's notation). */
    public String shortNames(CellType cell) {
        StringJoiner j = new StringJoiner(" ");
        for (int e = 0; e < E; e++) j.add(op(cell, e).shortName());
        return j.toString();
    }

    /** Same ops on every edge, ignoring weights (two samples that run the same computation graph). */
    public boolean sameOps(SampledPath other) { return Arrays.equals(ops, other.ops); }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampledPath p && Arrays.equals(ops, p.ops) && Arrays.equals(weights, p.weights);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(ops) + Arrays.hashCode(weights); }

    @Override
    public String toString() {
        return "SampledPath{normal=[" + shortNames(CellType.NORMAL) + "], reduce=[" + shortNames(CellType.REDUCE) + "]}";
    }

    private static int idx(CellType cell, int edge) {
        if (edge < 0 || edge >= E) throw new IndexOutOfBoundsException("edge " + edge + " out of [0, " + E + ")");
        return cell.ordinal() * E + edge;
    }

    private static CellType cellOf(int i) { return i < E ? CellType.NORMAL : CellType.REDUCE; }

    private static int[] parseShort(String names, CellType cell) {
        String[] parts = names.strip().split("\\s+");
        if (parts.length != E) {
            throw new IllegalArgumentException(cell + " path: expected " + E + " op names, got " + parts.length);
        }
        int[] out = new int[E];
        for (int e = 0; e < E; e++) out[e] = Primitive.fromShortName(parts[e]).index();
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        checkLen(a.length, "normal ops");
        checkLen(b.length, "reduce ops");
        int[] r = Arrays.copyOf(a, 2 * E);
        System.arraycopy(b, 0, r, E, E);
        return r;
    }

    private static float[] concat(float[] a, float[] b) {
        checkLen(a.length, "normal weights");
        checkLen(b.length, "reduce weights");
        float[] r = Arrays.copyOf(a, 2 * E);
        System.arraycopy(b, 0, r, E, E);
        return r;
    }

    private static void checkLen(int n, String what) {
        if (n != E) throw new IllegalArgumentException(what + ": expected " + E + " entries, got " + n);
    }
}
