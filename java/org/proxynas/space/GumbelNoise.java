package org.proxynas.space;

import java.util.Arrays;
import org.proxynas.rng.Rng;

/**
 * Gumbel noise g for both cell types (two 14×8 matrices, same layout as {@link ArchParams}); immutable.
 * docs/method.md#proxy: g = −log(−log U), U ~ Uniform(0,1), i.i.d. per entry; fixed for a whole training epoch.
 * Stored as float (as the reference code holds it).
 */
public final class GumbelNoise {
    private final float[] data;

    private GumbelNoise(float[] data) { this.data = data; }

    /** Draws 224 standard Gumbel values: normal then reduce, row-major. */
    public static GumbelNoise draw(Rng rng) {
        float[] d = new float[ArchParams.SIZE];
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGumbel();
        return new GumbelNoise(d);
    }

    /** No noise (the relaxation then follows argmax α). */
    public static GumbelNoise zeros() { return new GumbelNoise(new float[ArchParams.SIZE]); }

    /** From a flat array in {@link ArchParams} layout (copied), e.g. a checkpoint. */
    public static GumbelNoise fromFlat(float[] flat) {
        if (flat.length != ArchParams.SIZE) {
            throw new IllegalArgumentException("expected " + ArchParams.SIZE + " entries, got " + flat.length);
        }
        return new GumbelNoise(flat.clone());
    }

    public float get(CellType cell, int edge, int op) { return data[ArchParams.index(cell, edge, op)]; }

    /** g ⊙ s, the OIW-scaled noise that the reference code stores and reuses for the α step. */
    public GumbelNoise scaled(ArchParams scale) {
        float[] s = scale.flat();
        float[] d = new float[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i] * s[i];
        return new GumbelNoise(d);
    }

    /** A copy of the flat values. */
    public float[] toArray() { return data.clone(); }

    /** Entry i of the flat layout (no copy). */
    float at(int i) { return data[i]; }

    @Override
    public boolean equals(Object o) { return o instanceof GumbelNoise g && Arrays.equals(data, g.data); }

    @Override
    public int hashCode() { return Arrays.hashCode(data); }
}
