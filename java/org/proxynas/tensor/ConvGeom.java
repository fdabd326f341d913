package org.proxynas.tensor;

/**
 * Geometry of a square convolution or pooling window.
 *
 * @param kernel   window side (k)
 * @param stride   step between windows
 * @param padding  zero padding on every side
 * @param dilation spacing between window taps (1 = dense)
 */
public record ConvGeom(int kernel, int stride, int padding, int dilation) {
    public ConvGeom {
        if (kernel < 1) throw new IllegalArgumentException("kernel must be >= 1, got " + kernel);
        if (stride < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        if (dilation < 1) throw new IllegalArgumentException("dilation must be >= 1, got " + dilation);
    }

    public static ConvGeom of(int kernel, int stride, int padding) { return new ConvGeom(kernel, stride, padding, 1); }

    /** Output side for an input side, as PyTorch computes it (floor). */
    public int outSize(int in) {
        int span = dilation * (kernel - 1) + 1;
        int out = (in + 2 * padding - span) / stride + 1;
        if (out < 1 || in + 2 * padding < span) {
            throw new IllegalArgumentException("input side " + in + " is too small for " + this);
        }
        return out;
    }
}
