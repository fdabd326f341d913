package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.Checks;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/**
 * Argument checks of the spatial kernel families (conv, pool, norm) on top of {@link Checks}: every failure is an
 * {@link IllegalArgumentException} whose message starts with the argument's name.
 */
final class SpatialArgs {
    private SpatialArgs() {}

    /** t is not null and lives on backend. */
    static void on(CpuBackend backend, String name, Tensor t) {
        Checks.notNull(name, t);
        Checks.sameBackend(backend, name, t);
    }

    /** t is on backend and is an image: NCHW (rank 4) or [N, F] (rank 2, read as H = W = 1). */
    static void image(CpuBackend backend, String name, Tensor t) {
        on(backend, name, t);
        if (t.rank() != 4 && t.rank() != 2) {
            throw new IllegalArgumentException(name + " must be NCHW (rank 4) or [N, F] (rank 2), got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** t is on backend with shape [n, c, h, w]; a rank-2 [n, c] also passes when h = w = 1. */
    static void image(CpuBackend backend, String name, Tensor t, int n, int c, int h, int w) {
        on(backend, name, t);
        if (t.rank() == 2 && h == 1 && w == 1) Checks.shape(name, t, n, c);
        else Checks.shape(name, t, n, c, h, w);
    }

    /** t is on backend with shape [c]. */
    static void vector(CpuBackend backend, String name, Tensor t, int c) {
        on(backend, name, t);
        Checks.shape(name, t, c);
    }

    /** Like {@link #vector} but null passes. */
    static void optionalVector(CpuBackend backend, String name, Tensor t, int c) {
        if (t != null) vector(backend, name, t, c);
    }

    /** The output side for an input side, with the input's name in the message when it is too small. */
    static int outSize(String inputName, int in, ConvGeom g) {
        try {
            return g.outSize(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inputName + ": " + e.getMessage(), e);
        }
    }

    static void geometry(ConvGeom g) { Checks.notNull("g", g); }
}
