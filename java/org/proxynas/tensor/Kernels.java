package org.proxynas.tensor;

/**
 * The kernel interface: every numeric operation ProxyNAS performs on tensors. It is the whole contract a backend
 * must meet (docs/architecture.md#kernels) and the porting surface to other accelerators.
 *
 * <p>Conventions, shared by every method:
 * <ul>
 *   <li>Images are NCHW, rows are [N, F]; a [N, F] tensor may stand where NCHW is expected (H = W = 1).</li>
 *   <li>Kernels write into output tensors the caller allocated; shapes are checked and a mismatch is an
 *       {@link IllegalArgumentException} naming the argument. The checks are shared by every backend: one method per
 *       kernel, named after it, in the family's class of this package ({@link ConvChecks}, {@link NormChecks},
 *       {@link ElementwiseChecks}, {@link PoolChecks}, {@link DenseChecks}, {@link LossChecks}, {@link OptimChecks},
 *       {@link AugmentPlan#check}, {@link FusedChecks}).</li>
 *   <li>{@code accumulate = false} overwrites the output; {@code true} adds to it. Parameter-gradient outputs
 *       ({@code dw}, {@code db}, {@code dgamma}, {@code dbeta}) always accumulate, so a step zeroes them first.</li>
 *   <li>Scalars such as learning rates are host values; results read back to the host ({@code dot},
 *       {@code sumSquares}, losses) are explicit synchronisation points.</li>
 * </ul>
 */
public interface Kernels {

    // ---- convolutions ------------------------------------------------------------------------------------

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

    // ---- batch norm -----------------------------------------------------------------------------------------

    /**
     * Training-mode batch norm over (N, H, W) per channel. gamma/beta may be null (affine-free: scale 1, shift 0).
     * runningMean/runningVar may be null (no tracking); otherwise they are updated as PyTorch does:
     * r = (1 - momentum) r + momentum * batch_stat, with the unbiased variance.
     * saveMean [C] and saveInvStd [C] = 1/sqrt(biased var + eps) are written for the backward pass.
     */
    void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd);

    /** Eval-mode batch norm with running statistics. gamma/beta may be null. */
    void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                              float eps, Tensor y);

    /** Backward of {@link #batchNormTrainForward}. dgamma/dbeta are null when gamma is null. */
    void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dgamma, Tensor dbeta, boolean accumulate);

    /** Input gradient of {@link #batchNormEvalForward} (statistics are constants). */
    void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate);

    // ---- elementwise -----------------------------------------------------------------------------------------

    /** y = max(x, 0); x and y may be the same tensor. */
    void relu(Tensor x, Tensor y);

    /** dx (+)= dy where y &gt; 0; y is the ReLU output (or its input: the mask is the same). */
    void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate);

    /** y = 1 / (1 + exp(-x)). */
    void sigmoid(Tensor x, Tensor y);

    /** dx (+)= dy * y * (1 - y), y the sigmoid output. */
    void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate);

    /** Every element := value. */
    void fill(Tensor t, float value);

    /** y += a * x. */
    void axpy(float a, Tensor x, Tensor y);

    /** x *= a, in place. */
    void scale(Tensor x, float a);

    /** y (+)= a * b, elementwise. */
    void mul(Tensor a, Tensor b, Tensor y, boolean accumulate);

    /** y (+)= sum_i weights[i] * xs[i]; the node sums and the mixed op. */
    void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate);

    /** y[n,...] (+)= scales[n] * x[n,...]: drop-path's per-sample mask, forward and backward. */
    void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate);

    /** Inverted dropout: mask := 0 or 1/(1-p) from a counter-based hash of (seed, index); y = x * mask. */
    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed);

    /** sum_i a[i] * b[i], accumulated in double. */
    double dot(Tensor a, Tensor b);

    /** sum_i x[i]^2, accumulated in double (gradient-norm clipping). */
    double sumSquares(Tensor x);

    // ---- channels and pools --------------------------------------------------------------------------------

    /**
     * dst[:, dstChannel + i] (+)= src[:, srcChannel + i] for i in [0, channels): concat (forward) and
     * slice (its backward) on the channel axis. src and dst share N, H, W.
     */
    void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate);

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

    // ---- dense ---------------------------------------------------------------------------------------------

    /** y = x w^T + b: x [N,In], w [Out,In], b [Out] or null, y [N,Out]. */
    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y);

    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate);

    /** dw += dy^T x; db += column sums of dy (db may be null). */
    void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db);

    /**
     * c[b] (+)= op(a[b]) op(b[b]) for every batch entry, op = transpose where asked. Shapes are 3-D:
     * a [B,M,K] (or [B,K,M] with transA), b [B,K,N] (or [B,N,K] with transB), c [B,M,N]. GIN message passing
     * (adjacency times features) and the inner-product decoder.
     */
    void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate);

    /**
     * One LSTM cell step, PyTorch gate order (i, f, g, o): gates [N,4H] are the pre-activations
     * (x W_ih^T + h W_hh^T + biases). Writes act [N,4H] (activated gates, kept for backward), c and h [N,H].
     */
    void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h);

    /**
     * Backward of one LSTM cell step: from dh [N,H] and dcNext [N,H] (the gradient reaching c from later steps;
     * null for the last step) to dgates [N,4H] (overwritten) and dcPrev [N,H] (overwritten).
     */
    void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev);

    // ---- losses --------------------------------------------------------------------------------------------

    /**
     * Fused log-softmax and cross-entropy, mean over rows. logits [N,K], labels [N] holding class indices as
     * floats. When dlogits is not null it is overwritten with gradScale * d(mean loss)/d(logits).
     */
    LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale);

    /** Mean squared error over all elements; dpred (nullable) := gradScale * d(loss)/d(pred). */
    double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale);

    /** Mean binary cross-entropy of probabilities (logs clamped at -100, as PyTorch); dprob as for mseLoss. */
    double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale);

    // ---- optimisers ----------------------------------------------------------------------------------------

    /** PyTorch SGD: d = g + wd*p; buf = momentum*buf + d; p -= lr*buf (buf starts at zero). */
    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay);

    /** PyTorch Adam with L2 weight decay added to the gradient; step counts from 1. */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float weightDecay, int step);

    /**
     * torch.nn.utils.clip_grad_norm_ without the returned norm: with norm the global L2 norm of every gradient
     * (squares summed in double), each gradient *= (float) (maxNorm / (norm + 1e-6)) when that is below 1, else left
     * unchanged. Not a synchronisation point. This default is the CPU reference (per-tensor {@link #sumSquares}
     * added in list order, then {@link #scale}); a backend may instead sum in another fixed order (its conformance
     * test states the tolerance) and keep the coefficient in device memory, as the CUDA backend does.
     */
    default void clipGradNorm(java.util.List<Tensor> grads, double maxNorm) {
        OptimChecks.clipGradNorm(grads, maxNorm);
        double sq = 0;
        for (Tensor g : grads) sq += sumSquares(g);
        double coef = maxNorm / (Math.sqrt(sq) + 1e-6);
        if (coef < 1) for (Tensor g : grads) scale(g, (float) coef);
    }

    // ---- data ----------------------------------------------------------------------------------------------

    /**
     * Builds a normalised, augmented batch from stored images. source [M,C,H,W] holds pixel values 0..255;
     * out is [B,C,H,W]. The random choices are made on the host (so every backend draws the same batch) and
     * applied here: see {@link AugmentPlan}.
     */
    void augment(Tensor source, AugmentPlan plan, Tensor out);

    // ---- fused (docs/architecture.md#performance) -------------------------------------------------------------------
    // Each fused method computes what a chain of the methods above computes; the CPU reference runs that chain,
    // so a fused kernel is checked against exactly the unfused result it replaces.

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
     * from x, not stored.
     */
    void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw,
                          boolean accumulate);

    /**
     * A node sum with affine-free batch norm folded in: y (+)= sum_i w_i * xhat_i, where w_i is term i's weight
     * ({@link TermWeights}) and xhat_i = (xs[i] - means[i][c]) * invStds[i][c] per channel c, or xs[i] itself where
     * means[i] and invStds[i] are null. Equal to batch-normalising each input with the given statistics, then
     * {@link #weightedSum}.
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
