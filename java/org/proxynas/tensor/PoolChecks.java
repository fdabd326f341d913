package org.proxynas.tensor;

import static org.proxynas.tensor.SpatialChecks.image;

/** Argument checks of the pools (max, average, global average; forward and backward), shared by every backend. */
public final class PoolChecks {
    private PoolChecks() {}

    /** The sizes of a checked pooling call: count (= N*C) planes of h x w in, ho x wo out. */
    public record Planes(int count, int h, int w, int ho, int wo) {
        public int in() { return h * w; }
        public int out() { return ho * wo; }
    }

    /** Arguments of {@link Kernels#maxPoolForward}. */
    public static Planes maxPoolForward(Backend backend, Tensor x, Tensor y, ConvGeom g) {
        return windows(backend, "x", x, "y", y, g);
    }

    /** Arguments of {@link Kernels#maxPoolBackward}. */
    public static Planes maxPoolBackward(Backend backend, Tensor x, Tensor dy, Tensor dx, ConvGeom g) {
        Planes p = windows(backend, "x", x, "dy", dy, g);
        SpatialChecks.sameShapeOn(backend, "dx", dx, "x", x);
        return p;
    }

    /** Arguments of {@link Kernels#avgPoolForward}. */
    public static Planes avgPoolForward(Backend backend, Tensor x, Tensor y, ConvGeom g) {
        return windows(backend, "x", x, "y", y, g);
    }

    /** Arguments of {@link Kernels#avgPoolBackward}. */
    public static Planes avgPoolBackward(Backend backend, Tensor dy, Tensor dx, ConvGeom g) {
        return windows(backend, "dx", dx, "dy", dy, g);
    }

    /** Arguments of {@link Kernels#globalAvgPoolForward}: x an image, y [N, C] (or [N, C, 1, 1]). */
    public static Planes globalAvgPoolForward(Backend backend, Tensor x, Tensor y) {
        image(backend, "x", x);
        image(backend, "y", y, x.n(), x.c(), 1, 1);
        return new Planes(x.n() * x.c(), x.h(), x.w(), 1, 1);
    }

    /** Arguments of {@link Kernels#globalAvgPoolBackward}: dx an image, dy [N, C] (or [N, C, 1, 1]). */
    public static Planes globalAvgPoolBackward(Backend backend, Tensor dy, Tensor dx) {
        image(backend, "dx", dx);
        image(backend, "dy", dy, dx.n(), dx.c(), 1, 1);
        return new Planes(dx.n() * dx.c(), dx.h(), dx.w(), 1, 1);
    }

    /** A windowed pool: in (x or dx) an image, out (y or dy) [N, C, outSize(H), outSize(W)]. */
    private static Planes windows(Backend backend, String inName, Tensor in, String outName, Tensor out, ConvGeom g) {
        SpatialChecks.geometry(g);
        image(backend, inName, in);
        int ho = SpatialChecks.outSize(inName, in.h(), g), wo = SpatialChecks.outSize(inName, in.w(), g);
        image(backend, outName, out, in.n(), in.c(), ho, wo);
        return new Planes(in.n() * in.c(), in.h(), in.w(), ho, wo);
    }
}
