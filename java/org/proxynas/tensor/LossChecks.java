package org.proxynas.tensor;

/**
 * Argument checks of the losses, shared by every backend. Label and probability values are validated too (a read
 * of those small tensors to the host), before a kernel writes anything.
 */
public final class LossChecks {
    private LossChecks() {}

    /** Arguments of {@link Kernels#softmaxCrossEntropy}: logits [N, K], labels [N] of integer class indices in [0, K). */
    public static void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits) {
        Checks.rank("logits", logits, 2);
        int n = logits.dim(0), k = logits.dim(1);
        Checks.shape("labels", labels, n);
        if (dlogits != null) Checks.sameShape("dlogits", dlogits, "logits", logits);
        float[] ls = labels.toHost();
        for (int row = 0; row < n; row++) {
            float l = ls[row];
            if (!(l >= 0 && l < k && l == Math.rint(l))) {
                throw new IllegalArgumentException("labels[" + row + "] must be an integer class index in [0, " + k
                        + "), got " + l);
            }
        }
    }

    /** Arguments of {@link Kernels#mseLoss}. */
    public static void mseLoss(Tensor pred, Tensor target, Tensor dpred) {
        Checks.notNull("pred", pred);
        Checks.sameShape("target", target, "pred", pred);
        if (dpred != null) Checks.sameShape("dpred", dpred, "pred", pred);
    }

    /** Arguments of {@link Kernels#bceLoss}: every probability in [0, 1] (targets are not checked, as in PyTorch). */
    public static void bceLoss(Tensor prob, Tensor target, Tensor dprob) {
        Checks.notNull("prob", prob);
        Checks.sameShape("target", target, "prob", prob);
        if (dprob != null) Checks.sameShape("dprob", dprob, "prob", prob);
        float[] ps = prob.toHost();
        for (int i = 0; i < ps.length; i++) {
            if (!(ps[i] >= 0f && ps[i] <= 1f)) {
                throw new IllegalArgumentException("prob[" + i + "] must be a probability in [0, 1], got " + ps[i]);
            }
        }
    }
}
