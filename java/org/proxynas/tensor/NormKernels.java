package org.proxynas.tensor;

/**
 * Batch norm in training and evaluation mode, forward and backward. One family of {@link Kernels}, whose conventions
 * apply.
 */
public interface NormKernels {
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
}
