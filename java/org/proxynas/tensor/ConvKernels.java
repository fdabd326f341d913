package org.proxynas.tensor;

/**
 * Convolutions: depthwise, pointwise (1x1) and dense, forward and both backward passes. One family of {@link Kernels},
 * whose conventions apply.
 */
public interface ConvKernels {
    /** Depthwise conv: x [N,C,H,W], w [C,1,k,k], y [N,C,Ho,Wo] (groups = C, no bias). */
    void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g);

    void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate);

    /** dw += gradient of the depthwise filter. */
    void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g);

    /**
     * 1x1 conv, no bias: y[n,o,i,j] = sum_c w[o,c] * x[n,c, offset + stride*i, offset + stride*j].
     * w is [Cout,Cin,1,1]; y's spatial size is given by y. stride 2 with offset 0 and 1 are the two halves of
     * FactorizedReduce (the second reads the input shifted by one pixel).
     */
    void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset);

    void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate);

    void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset);

    /** Dense conv (groups 1, no bias): x [N,Cin,H,W], w [Cout,Cin,k,k], y [N,Cout,Ho,Wo]. The stem and aux head. */
    void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g);

    void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate);

    void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g);
}
