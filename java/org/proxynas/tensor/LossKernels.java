package org.proxynas.tensor;

/**
 * Losses with their gradients: softmax cross-entropy, mean squared error, binary cross-entropy. One family of {@link
 * Kernels}, whose conventions apply.
 */
public interface LossKernels {
    /**
     * Fused log-softmax and cross-entropy, mean over rows. logits [N,K], labels [N] holding class indices as
     * floats. When dlogits is not null it is overwritten with gradScale * d(mean loss)/d(logits).
     */
    LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale);

    /** Mean squared error over all elements; dpred (nullable) := gradScale * d(loss)/d(pred). */
    double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale);

    /** Mean binary cross-entropy of probabilities (logs clamped at -100, as PyTorch); dprob as for mseLoss. */
    double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale);
}
