package org.proxynas.tensor;

/**
 * Fused kernels: the separable-conv chain and batch-norm-folded node sums. One family of {@link Kernels}, whose
 * conventions apply. Each computes what a chain of the other families' methods computes; the CPU reference runs that
 * chain, so a fused kernel is checked against exactly the unfused result it replaces.
 */
public interface FusedKernels {
    /**
     * ReLU, depthwise conv and pointwise conv in one pass, with the training statistics of the affine-free batch
     * norm that follows: y [N,Cout,Ho,Wo] = pointwise(depthwise(relu(x), dw, g), pw) for x [N,C,H,W],
     * dw [C,1,k,k], pw [Cout,C,1,1] (stride 1, offset 0). saveMean, saveInvStd [Cout] and the optional running
     * statistics are written as {@code batchNormTrainForward(y, null, null, runningMean, runningVar, momentum, eps,
     * _, saveMean, saveInvStd)} writes them. y stays un-normalised: the consumer applies the batch norm
     * ({@link #bnWeightedSum}).
     */
    void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean, Tensor runningVar,
                         float momentum, float eps, Tensor saveMean, Tensor saveInvStd);

    /**
     * Backward of {@link #reluDwPwForward}'s y: from dy [N,Cout,Ho,Wo], dx (+)= the input gradient, ddw += the
     * depthwise and dpw += the pointwise filter gradients. The ReLU and depthwise intermediates are recomputed
     * from x, not stored. ddw and dpw may be null: that filter gradient is then not computed (an architecture step
     * wants dx only), and dx is the same, bit for bit.
     */
    void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw,
                          boolean accumulate);

    /**
     * A node sum with affine-free batch norm folded in: y (+)= sum_i w_i * xhat_i, where w_i is term i's weight
     * ({@link TermWeights}) and xhat_i = (xs[i] - means[i][c]) * invStds[i][c] per channel c, or xs[i] itself where
     * means[i] and invStds[i] are null. Equal to batch-normalising each input with the given statistics, then
     * {@link ElementwiseKernels#weightedSum}.
     */
    void bnWeightedSum(Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor y, boolean accumulate);

    /**
     * Backward of {@link #bnWeightedSum} for the node gradient dy: dxs[i] (+)= the gradient reaching xs[i] (the
     * batch-norm training backward of w_i * dy where normalised, w_i * dy otherwise; null entries are skipped). Stored
     * weights with a gradient accumulator get the gradient with respect to each weight, sum(dy * xhat_i) in double,
     * added to it in backend memory (no read back). dxs must not share a buffer with dy or xs.
     */
    void bnWeightedSumBackward(Tensor dy, Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor[] dxs,
                               boolean accumulate);
}
