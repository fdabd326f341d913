package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/**
 * A layer that ends in an affine-free batch norm its consumer may apply instead (docs/architecture.md#performance: batch norm
 * folded into the consumer). In training, {@link #forwardPreNorm} stops before the normalisation and leaves the
 * batch statistics in {@link #mean()} and {@link #invStd()}; the consumer normalises while it reads (a node sum,
 * {@link org.proxynas.tensor.Kernels#bnWeightedSum}) and hands back the gradient of the un-normalised output.
 */
interface DeferredNorm extends Layer {
    /** Training forward without the final normalisation: the pre-norm output, owned by the layer. */
    Tensor forwardPreNorm(Tensor x);

    /** The batch mean of the last {@link #forwardPreNorm}'s output, per channel. */
    Tensor mean();

    /** 1 / sqrt(biased batch variance + eps) of the last {@link #forwardPreNorm}'s output, per channel. */
    Tensor invStd();

    /** Backward from dpre, the gradient of the pre-norm output (the consumer applied the norm's backward). */
    void backwardPreNorm(Tensor dpre, Tensor dx, boolean accumulate);
}
