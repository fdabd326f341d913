package org.proxynas.space;

import java.util.Arrays;
import org.proxynas.rng.Rng;

/**
 * Architecture parameters α: one 14×8 float matrix per cell type (rows = edges in {@link CellTopology} order,
 * columns = {@link Primitive} order). Stored flat, normal first then reduce, row-major:
 * {@code index = cell*112 + edge*8 + op}. The same shape also carries α gradients and the OIW noise scale.
 * Mutable (an optimiser updates {@link #flat()} in place); {@link #copy()} before keeping a snapshot, e.g. the EA
 * parent (docs/method.md#evolutionary-form).
 */
public final class ArchParams {
    /** Rows per cell (edges). */
    public static final int ROWS = CellTopology.EDGES;
    /** Columns (primitives). */
    public static final int COLS = Primitive.COUNT;
    /** Entries per cell type (112). */
    public static final int CELL_SIZE = ROWS * COLS;
    /** Entries in total (224). */
    public static final int SIZE = 2 * CELL_SIZE;
    /** Standard deviation of the DARTS initialisation. */
    public static final double INIT_STD = 1e-3;

    private final float[] data;

    private ArchParams(float[] data) { this.data = data; }

    /** All zeros. */
    public static ArchParams zeros() { return new ArchParams(new float[SIZE]); }

    /** The DARTS initialisation: every entry 1e-3·N(0,1), normal then reduce, row-major. */
    public static ArchParams init(Rng rng) { return gaussian(rng, INIT_STD); }

    /** Every entry std·N(0,1), normal then reduce, row-major. */
    public static ArchParams gaussian(Rng rng, double std) {
        float[] d = new float[SIZE];
        for (int i = 0; i < SIZE; i++) d[i] = (float) (std * rng.nextGaussian());
        return new ArchParams(d);
    }

    /** A copy of a flat array of {@value #SIZE} entries in this class's layout. */
    public static ArchParams fromFlat(float[] flat) {
        if (flat.length != SIZE) throw new IllegalArgumentException("expected " + SIZE + " entries, got " + flat.length);
        return new ArchParams(flat.clone());
    }

    /** From two 14×8 matrices (copied). */
    public static ArchParams of(float[][] normal, float[][] reduce) {
        ArchParams a = zeros();
        a.setMatrix(CellType.NORMAL, normal);
        a.setMatrix(CellType.REDUCE, reduce);
        return a;
    }

    /** Flat index of entry (cell, edge, op). */
    public static int index(CellType cell, int edge, int op) {
        if (edge < 0 || edge >= ROWS) throw new IndexOutOfBoundsException("edge " + edge + " out of [0, " + ROWS + ")");
        if (op < 0 || op >= COLS) throw new IndexOutOfBoundsException("op " + op + " out of [0, " + COLS + ")");
        return cell.ordinal() * CELL_SIZE + edge * COLS + op;
    }

    /** Offset of a cell type's matrix in {@link #flat()}. */
    public static int offset(CellType cell) { return cell.ordinal() * CELL_SIZE; }

    /** The backing array (a live view, length {@value #SIZE}) for optimisers and kernels. */
    public float[] flat() { return data; }

    public float get(CellType cell, int edge, int op) { return data[index(cell, edge, op)]; }

    public void set(CellType cell, int edge, int op, float value) { data[index(cell, edge, op)] = value; }

    /** A copy of one cell's matrix as 14×8. */
    public float[][] matrix(CellType cell) {
        float[][] m = new float[ROWS][];
        for (int e = 0; e < ROWS; e++) m[e] = Arrays.copyOfRange(data, offset(cell) + e * COLS, offset(cell) + (e + 1) * COLS);
        return m;
    }

    /** Overwrites one cell's matrix from a 14×8 array. */
    public void setMatrix(CellType cell, float[][] m) {
        if (m.length != ROWS) throw new IllegalArgumentException(cell + " matrix: expected " + ROWS + " rows, got " + m.length);
        for (int e = 0; e < ROWS; e++) {
            if (m[e].length != COLS) {
                throw new IllegalArgumentException(cell + " matrix row " + e + ": expected " + COLS + " columns, got "
                        + m[e].length);
            }
            System.arraycopy(m[e], 0, data, offset(cell) + e * COLS, COLS);
        }
    }

    /** The entries widened to double (a copy). */
    public double[] toDoubles() {
        double[] d = new double[SIZE];
        for (int i = 0; i < SIZE; i++) d[i] = data[i];
        return d;
    }

    /** An independent copy. */
    public ArchParams copy() { return new ArchParams(data.clone()); }

    /** Overwrites this with {@code other}'s values. */
    public void copyFrom(ArchParams other) { System.arraycopy(other.data, 0, data, 0, SIZE); }

    /** Bitwise equality of all entries (as {@link Arrays#equals(float[], float[])}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ArchParams a && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(data); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ArchParams{");
        for (CellType cell : CellType.values()) {
            sb.append('\n').append(cell).append(':');
            for (int e = 0; e < ROWS; e++) {
                sb.append("\n  e").append(e).append(' ');
                for (int k = 0; k < COLS; k++) sb.append(String.format(java.util.Locale.ROOT, " % .4f", get(cell, e, k)));
            }
        }
        return sb.append("\n}").toString();
    }
}
