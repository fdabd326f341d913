package org.proxynas.tensor;

import static org.proxynas.tensor.SpatialChecks.image;
import static org.proxynas.tensor.SpatialChecks.on;

/**
 * Argument checks of the convolutions (depthwise/dilated, pointwise, dense; forward and backwards), shared by every
 * backend: each returns the sizes of the checked call. Weights are laid out as in PyTorch: depthwise [C,1,k,k],
 * pointwise [Cout,Cin,1,1], dense [Cout,Cin,k,k].
 */
public final class ConvChecks {
    private ConvChecks() {}

    /** The sizes of a checked depthwise or dense conv call: input [n,cin,h,w], output [n,cout,ho,wo], k x k taps. */
    public record Conv(int n, int cin, int h, int w, int cout, int ho, int wo, int k) {
        public int inPlane() { return h * w; }
        public int outPlane() { return ho * wo; }
        public int taps() { return k * k; }
    }

    /** The sizes of a checked 1x1 conv call: input [n,cin,h,w], output [n,cout,ho,wo]. */
    public record Pointwise(int n, int cin, int cout, int h, int w, int ho, int wo) {}

    /** Arguments of {@link Kernels#depthwiseConvForward}. */
    public static Conv depthwiseConvForward(Backend backend, Tensor x, Tensor w, Tensor y, ConvGeom g) {
        return conv(backend, true, "x", x, "w", w, "y", y, g);
    }

    /** Arguments of {@link Kernels#depthwiseConvBackwardData}. */
    public static Conv depthwiseConvBackwardData(Backend backend, Tensor dy, Tensor w, Tensor dx, ConvGeom g) {
        return conv(backend, true, "dx", dx, "w", w, "dy", dy, g);
    }

    /** Arguments of {@link Kernels#depthwiseConvBackwardFilter}. */
    public static Conv depthwiseConvBackwardFilter(Backend backend, Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        return conv(backend, true, "x", x, "dw", dw, "dy", dy, g);
    }

    /** Arguments of {@link Kernels#convForward}. */
    public static Conv convForward(Backend backend, Tensor x, Tensor w, Tensor y, ConvGeom g) {
        return conv(backend, false, "x", x, "w", w, "y", y, g);
    }

    /** Arguments of {@link Kernels#convBackwardData}. */
    public static Conv convBackwardData(Backend backend, Tensor dy, Tensor w, Tensor dx, ConvGeom g) {
        return conv(backend, false, "dx", dx, "w", w, "dy", dy, g);
    }

    /** Arguments of {@link Kernels#convBackwardFilter}. */
    public static Conv convBackwardFilter(Backend backend, Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        return conv(backend, false, "x", x, "dw", dw, "dy", dy, g);
    }

    /**
     * A depthwise (w [C,1,k,k]) or dense (w [Cout,Cin,k,k]) conv call. in is the input-side image (x or dx), out
     * the output-side one (y or dy), whose shape must be [N, Cout, outSize(H), outSize(W)].
     */
    private static Conv conv(Backend backend, boolean depthwise, String inName, Tensor in, String wName, Tensor w,
                             String outName, Tensor out, ConvGeom g) {
        SpatialChecks.geometry(g);
        image(backend, inName, in);
        int n = in.n(), cin = in.c(), h = in.h(), wd = in.w(), k = g.kernel();
        int ho = SpatialChecks.outSize(inName, h, g), wo = SpatialChecks.outSize(inName, wd, g);
        on(backend, wName, w);
        if (depthwise) Checks.shape(wName, w, cin, 1, k, k);
        else Checks.shape(wName, w, -1, cin, k, k);
        int cout = depthwise ? cin : w.dim(0);
        image(backend, outName, out, n, cout, ho, wo);
        return new Conv(n, cin, h, wd, cout, ho, wo, k);
    }

    /** Arguments of {@link Kernels#pointwiseConvForward}. */
    public static Pointwise pointwiseConvForward(Backend backend, Tensor x, Tensor w, Tensor y, int stride, int offset) {
        return pointwiseWithInput(backend, "x", x, "w", w, "y", y, stride, offset);
    }

    /** Arguments of {@link Kernels#pointwiseConvBackwardWeight}. */
    public static Pointwise pointwiseConvBackwardWeight(Backend backend, Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        return pointwiseWithInput(backend, "x", x, "dw", dw, "dy", dy, stride, offset);
    }

    private static Pointwise pointwiseWithInput(Backend backend, String xName, Tensor x, String wName, Tensor w,
                                                String yName, Tensor y, int stride, int offset) {
        image(backend, xName, x);
        int n = x.n(), cin = x.c();
        on(backend, wName, w);
        Checks.shape(wName, w, -1, cin, 1, 1);
        int cout = w.dim(0);
        image(backend, yName, y);
        image(backend, yName, y, n, cout, y.h(), y.w());
        SpatialChecks.sampling(stride, offset, x.h(), x.w(), y.h(), y.w(), yName);
        return new Pointwise(n, cin, cout, x.h(), x.w(), y.h(), y.w());
    }

    /** Arguments of {@link Kernels#pointwiseConvBackwardData}. */
    public static Pointwise pointwiseConvBackwardData(Backend backend, Tensor dy, Tensor w, Tensor dx, int stride, int offset) {
        on(backend, "w", w);
        Checks.shape("w", w, -1, -1, 1, 1);
        int cout = w.dim(0), cin = w.dim(1);
        image(backend, "dy", dy);
        int n = dy.n(), ho = dy.h(), wo = dy.w();
        image(backend, "dy", dy, n, cout, ho, wo);
        image(backend, "dx", dx);
        int h = dx.h(), wd = dx.w();
        image(backend, "dx", dx, n, cin, h, wd);
        SpatialChecks.sampling(stride, offset, h, wd, ho, wo, "dy");
        return new Pointwise(n, cin, cout, h, wd, ho, wo);
    }
}
