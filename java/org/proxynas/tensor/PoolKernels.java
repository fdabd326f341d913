package org.proxynas.tensor;

/**
 * Max, average and global average pooling, forward and backward. One family of {@link Kernels}, whose conventions
 * apply.
 */
public interface PoolKernels {
    /** Max pool; padding counts as minus infinity. */
    void maxPoolForward(Tensor x, Tensor y, ConvGeom g);

    /** Routes dy to the first maximum of each window (recomputed from x, as PyTorch breaks ties). */
    void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate);

    /** Average pool; countIncludePad = false divides by the number of in-bounds taps. */
    void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad);

    void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate);

    /** x [N,C,H,W] -> y [N,C]: mean over H*W. */
    void globalAvgPoolForward(Tensor x, Tensor y);

    void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate);
}
