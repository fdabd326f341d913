package org.proxynas.cuda;

import org.proxynas.tensor.LossChecks;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

/**
 * The losses on CUDA (cuda/loss.cu), as {@code CpuLoss} on the CPU: one thread per row or element, per-block
 * partials in double read back and added in block order.
 */
final class CudaLoss {
    private final Launches l;

    CudaLoss(Launches launches) { this.l = launches; }

    LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) {
        LossChecks.softmaxCrossEntropy(logits, labels, dlogits);
        int n = logits.dim(0), k = logits.dim(1);
        int grid = lossGrid(l, n);
        Tensor part = l.partialBuffer(2 * grid);
        l.launch("softmax_xent_f32", grid, 0, l.ptr(logits), l.ptr(labels), l.optPtr(dlogits), gradScale,
                l.ptr(part), n, k);
        double[] p = Launches.partials(part);
        double loss = 0, correct = 0;
        for (int b = 0; b < grid; b++) {
            loss += p[2 * b];
            correct += p[2 * b + 1];
        }
        return new LossStats(loss / n, (int) correct, n);
    }

    /** The grid of softmax_xent_f32 over a batch of n rows (the graph-captured step uses it too, for the same sums). */
    static int lossGrid(Launches l, int n) { return l.grid(n, l.threads("softmax_xent_f32")); }

    double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) {
        LossChecks.mseLoss(pred, target, dpred);
        long n = pred.size();
        float coef = (float) (2.0 * gradScale / n);
        int grid = l.grid(n, l.threads("mse_loss_f32"));
        Tensor part = l.partialBuffer(grid);
        l.launch("mse_loss_f32", grid, 0, l.ptr(pred), l.ptr(target), l.optPtr(dpred), coef, l.ptr(part), n);
        return Launches.sumInOrder(Launches.partials(part)) / n;
    }

    double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) {
        LossChecks.bceLoss(prob, target, dprob);
        long n = prob.size();
        int grid = l.grid(n, l.threads("bce_loss_f32"));
        Tensor part = l.partialBuffer(grid);
        l.launch("bce_loss_f32", grid, 0, l.ptr(prob), l.ptr(target), l.optPtr(dprob), gradScale, l.ptr(part), n);
        return Launches.sumInOrder(Launches.partials(part)) / n;
    }
}
