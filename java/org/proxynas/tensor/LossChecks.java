package org.proxynas.tensor;

/**
 * Argument checks of the losses, shared by every backend. Label and probability values are validated too, before a
 * kernel writes anything: here by a read of those tensors to the host, or on the device by a backend that uses the
 * shape-only checks and the shared rejection messages (the CUDA backend, so a loss call reads back only its sums).
 */
public final class LossChecks {
    private LossChecks() {}

    /** Arguments of {@link Kernels#softmaxCrossEntropy}: logits [N, K], labels [N] of integer class indices in [0, K). */
    public static void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits) {
        softmaxCrossEntropyShapes(logits, labels, dlogits);
        int n = logits.dim(0), k = logits.dim(1);
        float[] ls = labels.toHost();
        for (int row = 0; row < n; row++) {
            float l = ls[row];
            if (!(l >= 0 && l < k && l == Math.rint(l))) throw badLabel(row, k, l);
        }
    }

    /**
     * The shapes of {@link Kernels#softmaxCrossEntropy} only, for a backend that checks the labels on its device
     * (and then throws {@link #badLabel}, having written nothing) rather than reading them back first.
     */
    public static void softmaxCrossEntropyShapes(Tensor logits, Tensor labels, Tensor dlogits) {
        Checks.rank("logits", logits, 2);
        Checks.shape("labels", labels, logits.dim(0));
        if (dlogits != null) Checks.sameShape("dlogits", dlogits, "logits", logits);
    }

    /** The rejection of {@link Kernels#softmaxCrossEntropy} for labels[row] = value with k classes. */
    public static IllegalArgumentException badLabel(int row, int k, float value) {
        return new IllegalArgumentException("labels[" + row + "] must be an integer class index in [0, " + k + "), got " + value);
    }

    /** Arguments of {@link Kernels#mseLoss}. */
    public static void mseLoss(Tensor pred, Tensor target, Tensor dpred) {
        Checks.notNull("pred", pred);
        Checks.sameShape("target", target, "pred", pred);
        if (dpred != null) Checks.sameShape("dpred", dpred, "pred", pred);
    }

    /** Arguments of {@link Kernels#bceLoss}: every probability in [0, 1] (targets are not checked, as in PyTorch). */
    public static void bceLoss(Tensor prob, Tensor target, Tensor dprob) {
        bceLossShapes(prob, target, dprob);
        float[] ps = prob.toHost();
        for (int i = 0; i < ps.length; i++) {
            if (!(ps[i] >= 0f && ps[i] <= 1f)) throw badProbability(i, ps[i]);
        }
    }

    /**
     * The shapes of {@link Kernels#bceLoss} only, for a backend that checks the probabilities on its device (and
     * then throws {@link #badProbability}, having written nothing) rather than reading them all back first.
     */
    public static void bceLossShapes(Tensor prob, Tensor target, Tensor dprob) {
        Checks.notNull("prob", prob);
        Checks.sameShape("target", target, "prob", prob);
        if (dprob != null) Checks.sameShape("dprob", dprob, "prob", prob);
    }

    /** The rejection of {@link Kernels#bceLoss} for prob[index] = value, outside [0, 1] or NaN. */
    public static IllegalArgumentException badProbability(long index, float value) {
        return new IllegalArgumentException("prob[" + index + "] must be a probability in [0, 1], got " + value);
    }
}
