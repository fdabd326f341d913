package org.proxynas.tensor;

import java.util.Arrays;

/**
 * Argument checks of the spatial kernel families (conv, pool, norm) on top of {@link Checks}: every failure is an
 * {@link IllegalArgumentException} whose message starts with the argument's name.
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

    /** The sizes of a checked 1x1 conv call: input [n,cin,h,w], output [n,cout,ho,wo]. */
    public record Pointwise(int n, int cin, int cout, int h, int w, int ho, int wo) {}

    /** Arguments of {@link Kernels#pointwiseConvForward}. */
    public static Pointwise pointwiseForward(Backend backend, Tensor x, Tensor w, Tensor y, int stride, int offset) {
        return pointwiseWithInput(backend, "x", x, "w", w, "y", y, stride, offset);
    }

    /** Arguments of {@link Kernels#pointwiseConvBackwardWeight}. */
    public static Pointwise pointwiseBackwardWeight(Backend backend, Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        return pointwiseWithInput(backend, "x", x, "dw", dw, "dy", dy, stride, offset);
    }

    private static Pointwise pointwiseWithInput(Backend backend, String xName, Tensor x, String wName, Tensor w, String yName, Tensor y,
                                                int stride, int offset) {
        image(backend, xName, x);
        int n = x.n(), cin = x.c();
        on(backend, wName, w);
        Checks.shape(wName, w, -1, cin, 1, 1);
        int cout = w.dim(0);
        image(backend, yName, y);
        image(backend, yName, y, n, cout, y.h(), y.w());
        sampling(stride, offset, x.h(), x.w(), y.h(), y.w(), yName);
        return new Pointwise(n, cin, cout, x.h(), x.w(), y.h(), y.w());
    }

    /** Arguments of {@link Kernels#pointwiseConvBackwardData}. */
    public static Pointwise pointwiseBackwardData(Backend backend, Tensor dy, Tensor w, Tensor dx, int stride, int offset) {
        on(backend, "w", w);
        Checks.shape("w", w, -1, -1, 1, 1);
        int cout = w.dim(0), cin = w.dim(1);
        image(backend, "dy", dy);
        int n = dy.n(), ho = dy.h(), wo = dy.w();
        image(backend, "dy", dy, n, cout, ho, wo);
        image(backend, "dx", dx);
        int h = dx.h(), wd = dx.w();
        image(backend, "dx", dx, n, cin, h, wd);
        sampling(stride, offset, h, wd, ho, wo, "dy");
        return new Pointwise(n, cin, cout, h, wd, ho, wo);
    }

    /** Arguments of {@link Kernels#batchNormTrainForward}. */
    public static void batchNormTrain(Backend backend, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                      float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        image(backend, "x", x);
        int c = x.c();
        if ((long) x.n() * x.plane() < 2) {
            throw new IllegalArgumentException("x: batch norm in training needs more than one value per channel, got shape "
                    + Arrays.toString(x.shape()));
        }
        optionalVector(backend, "gamma", gamma, c);
        optionalVector(backend, "beta", beta, c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("runningMean and runningVar must be both given or both null, got "
                    + (runningMean == null ? "runningVar only" : "runningMean only"));
        }
        optionalVector(backend, "runningMean", runningMean, c);
        optionalVector(backend, "runningVar", runningVar, c);
        Checks.range("momentum", momentum, 0, 1);
        Checks.positive("eps", eps);
        sameShapeOn(backend, "y", y, "x", x);
        vector(backend, "saveMean", saveMean, c);
        vector(backend, "saveInvStd", saveInvStd, c);
    }
}
