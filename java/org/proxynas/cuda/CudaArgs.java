package org.proxynas.cuda;

import java.util.Arrays;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/**
 * Argument checks of the spatial families (pool, conv, norm) on the CUDA backend: the same checks and messages as
 * the CPU reference's package-private SpatialArgs (org.proxynas.cpu), written against {@link Backend}.
 */
final class CudaArgs {
    private CudaArgs() {}

    static void on(Backend backend, String name, Tensor t) {
        Checks.notNull(name, t);
        Checks.sameBackend(backend, name, t);
    }

    static void image(Backend backend, String name, Tensor t) {
        on(backend, name, t);
        if (t.rank() != 4 && t.rank() != 2) {
            throw new IllegalArgumentException(name + " must be NCHW (rank 4) or [N, F] (rank 2), got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    static void image(Backend backend, String name, Tensor t, int n, int c, int h, int w) {
        on(backend, name, t);
        if (t.rank() == 2 && h == 1 && w == 1) Checks.shape(name, t, n, c);
        else Checks.shape(name, t, n, c, h, w);
    }

    static void vector(Backend backend, String name, Tensor t, int c) {
        on(backend, name, t);
        Checks.shape(name, t, c);
    }

    static void optionalVector(Backend backend, String name, Tensor t, int c) {
        if (t != null) vector(backend, name, t, c);
    }

    static int outSize(String inputName, int in, ConvGeom g) {
        try {
            return g.outSize(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inputName + ": " + e.getMessage(), e);
        }
    }

    static void geometry(ConvGeom g) { Checks.notNull("g", g); }
}
