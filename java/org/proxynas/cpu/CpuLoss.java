package org.proxynas.cpu;

import org.proxynas.tensor.LossChecks;
import org.proxynas.tensor.LossKernels;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

/**
 * CPU kernels: fused losses. Each loss is summed in double over fixed blocks (rows for cross-entropy, elements
 * otherwise) whose partials are added in block order, so the value does not depend on the thread count; the
 * gradient, where asked for, is written in the same pass.
 */
final class CpuLoss implements LossKernels {
    /** Rows per cross-entropy work item. */
    private static final int ROW_BLOCK = 256;
    /** Elements per MSE / BCE work item. */
    private static final int BLOCK = CpuElementwise.BLOCK;

    /**
     * Lower bound of p (1 - p) in the BCE gradient: PyTorch's {@code EPSILON = 1e-12} in
     * {@code binary_cross_entropy_backward} (ATen Loss.cpp / cuda/Loss.cu), applied the same way:
     * grad * (p - t) / max((1 - p) p, EPSILON), then divided by the element count for the mean.
     */
    static final double BCE_GRAD_EPS = 1e-12;
    /** PyTorch clamps each log term of BCE at -100 so p = 0 or 1 gives a finite loss. */
    static final double BCE_LOG_FLOOR = -100;

    private final CpuBackend backend;
    private final Parallel parallel;

    CpuLoss(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    @FunctionalInterface
    private interface BlockBody { void run(int block, int start, int end); }

    /** body(block, start, end) over fixed blocks of [0, n); returns the block count. */
    private int blocks(int n, int blockSize, BlockBody body) {
        int count = (n + blockSize - 1) / blockSize;
        if (count <= 1) body.run(0, 0, n);
        else parallel.forEach(count, b -> body.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize)));
        return count;
    }

    private static int blockCount(int n, int blockSize) { return (n + blockSize - 1) / blockSize; }

    private static double sumInOrder(double[] partial) {
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    // ---- softmax cross-entropy ----------------------------------------------------------------------------

    /**
     * Per row: loss = logsumexp(x) - x[label] with the max subtracted first; correct when the first arg-max
     * equals the label; dlogits = gradScale * (softmax - onehot) / N. Labels are validated before anything is
     * written.
     */
    @Override public LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) {
        LossChecks.softmaxCrossEntropy(logits, labels, dlogits);
        int n = logits.dim(0), k = logits.dim(1);
        float[] xs = CpuBackend.data(logits), ls = CpuBackend.data(labels);
        float[] ds = dlogits == null ? null : CpuBackend.data(dlogits);
        double gradCoef = (double) gradScale / n;
        int count = blockCount(n, ROW_BLOCK);
        double[] lossPart = new double[count];
        int[] correctPart = new int[count];
        blocks(n, ROW_BLOCK, (blk, s, e) -> {
            double loss = 0;
            int correct = 0;
            for (int row = s; row < e; row++) {
                int off = row * k, label = (int) ls[row];
                int arg = 0;
                float max = xs[off];
                for (int j = 1; j < k; j++) {
                    if (xs[off + j] > max) { max = xs[off + j]; arg = j; }
                }
                double sum = 0;
                for (int j = 0; j < k; j++) sum += Math.exp((double) xs[off + j] - max);
                double labelLogit = xs[off + label];
                loss += max + Math.log(sum) - labelLogit;
                if (arg == label) correct++;
                if (ds != null) { // element by element, so dlogits may be logits
                    double scale = gradCoef / sum;
                    for (int j = 0; j < k; j++) ds[off + j] = (float) (scale * Math.exp((double) xs[off + j] - max));
                    ds[off + label] = (float) (gradCoef * (Math.exp(labelLogit - max) / sum - 1.0));
                }
            }
            lossPart[blk] = loss;
            correctPart[blk] = correct;
        });
        int correct = 0;
        for (int c : correctPart) correct += c;
        return new LossStats(sumInOrder(lossPart) / n, correct, n);
    }

    // ---- MSE ----------------------------------------------------------------------------------------------

    /** loss = mean (p - t)^2; dpred = gradScale * 2 (p - t) / n. dpred may be pred. */
    @Override public double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) {
        LossChecks.mseLoss(pred, target, dpred);
        float[] ps = CpuBackend.data(pred), ts = CpuBackend.data(target);
        float[] ds = dpred == null ? null : CpuBackend.data(dpred);
        int n = (int) pred.size();
        float coef = (float) (2.0 * gradScale / n);
        double[] partial = new double[blockCount(n, BLOCK)];
        blocks(n, BLOCK, (blk, s, e) -> {
            double sum = 0;
            for (int i = s; i < e; i++) {
                float d = ps[i] - ts[i];
                sum += (double) d * d;
                if (ds != null) ds[i] = coef * d;
            }
            partial[blk] = sum;
        });
        return sumInOrder(partial) / n;
    }

    // ---- BCE ----------------------------------------------------------------------------------------------

    /**
     * PyTorch's BCELoss (mean): loss_i = -(t log p + (1 - t) log(1 - p)), each log clamped at -100;
     * dprob_i = gradScale * (p - t) / max(p (1 - p), 1e-12) / n. Probabilities must lie in [0, 1] (PyTorch
     * rejects others too); targets are not checked, as PyTorch does not check them. dprob may be prob.
     */
    @Override public double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) {
        LossChecks.bceLoss(prob, target, dprob);
        float[] ps = CpuBackend.data(prob), ts = CpuBackend.data(target);
        float[] ds = dprob == null ? null : CpuBackend.data(dprob);
        int n = (int) prob.size();
        double coef = (double) gradScale / n;
        double[] partial = new double[blockCount(n, BLOCK)];
        blocks(n, BLOCK, (blk, s, e) -> {
            double sum = 0;
            for (int i = s; i < e; i++) {
                double p = ps[i], t = ts[i];
                double logP = Math.max(Math.log(p), BCE_LOG_FLOOR);
                double log1mP = Math.max(Math.log1p(-p), BCE_LOG_FLOOR);
                sum += (t - 1) * log1mP - t * logP;
                if (ds != null) ds[i] = (float) (coef * (p - t) / Math.max(p * (1 - p), BCE_GRAD_EPS));
            }
            partial[blk] = sum;
        });
        return sumInOrder(partial) / n;
    }
}
