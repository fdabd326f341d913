package org.proxynas.tensor;

import java.util.Arrays;

/**
 * The checks on images that the spatial families' checks ({@link ConvChecks}, {@link PoolChecks}, {@link NormChecks},
 * {@link FusedChecks}) are made of, on top of {@link Checks}: every failure is an {@link IllegalArgumentException}
 * whose message starts with the argument's name.
 */
public final class SpatialChecks {
    private SpatialChecks() {}

    /** t is not null and lives on backend. */
    public static void on(Backend backend, String name, Tensor t) {
        Checks.notNull(name, t);
        Checks.sameBackend(backend, name, t);
    }

    /** t is on backend and is an image: NCHW (rank 4) or [N, F] (rank 2, read as H = W = 1). */
    public static void image(Backend backend, String name, Tensor t) {
        on(backend, name, t);
        if (t.rank() != 4 && t.rank() != 2) {
            throw new IllegalArgumentException(name + " must be NCHW (rank 4) or [N, F] (rank 2), got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** t is on backend with shape [n, c, h, w]; a rank-2 [n, c] also passes when h = w = 1. */
    public static void image(Backend backend, String name, Tensor t, int n, int c, int h, int w) {
        on(backend, name, t);
        if (t.rank() == 2 && h == 1 && w == 1) Checks.shape(name, t, n, c);
        else Checks.shape(name, t, n, c, h, w);
    }

    /** t is on backend with shape [c]. */
    public static void vector(Backend backend, String name, Tensor t, int c) {
        on(backend, name, t);
        Checks.shape(name, t, c);
    }

    /** Like {@link #vector} but null passes. */
    public static void optionalVector(Backend backend, String name, Tensor t, int c) {
        if (t != null) vector(backend, name, t, c);
    }

    /** The output side for an input side, with the input's name in the message when it is too small. */
    public static int outSize(String inputName, int in, ConvGeom g) {
        try {
            return g.outSize(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inputName + ": " + e.getMessage(), e);
        }
    }

    public static void geometry(ConvGeom g) { Checks.notNull("g", g); }

    /** t is on backend with the shape of other. */
    public static void sameShapeOn(Backend backend, String name, Tensor t, String otherName, Tensor other) {
        on(backend, name, t);
        Checks.sameShape(name, t, otherName, other);
    }

    /** Stride/offset against the sampled grid: offset + stride*(out-1) must stay inside the input. */
    public static void sampling(int stride, int offset, int h, int w, int ho, int wo, String outName) {
        Checks.positive("stride", stride);
        Checks.nonNegative("offset", offset);
        long lastRow = offset + (long) stride * (ho - 1), lastCol = offset + (long) stride * (wo - 1);
        if (lastRow >= h || lastCol >= w) {
            throw new IllegalArgumentException("offset " + offset + " and stride " + stride + " with " + outName
                    + " of " + ho + "x" + wo + " read input pixel (" + lastRow + ", " + lastCol
                    + ") outside the " + h + "x" + w + " input");
        }
    }
}
