package org.proxynas.cuda;

import org.proxynas.tensor.LossChecks;
import org.proxynas.tensor.LossKernels;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

/**
 * The losses on CUDA (cuda/loss.cu), as {@code CpuLoss} on the CPU: one thread per row or element, per-block
 * partials in double read back and added in block order. BCE checks its probabilities on the device.
 */
final class CudaLoss implements LossKernels {
    private final Launches l;

    CudaLoss(Launches launches) { this.l = launches; }

    @Override public LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) {
        LossChecks.softmaxCrossEntropyShapes(logits, labels, dlogits);
        int n = logits.dim(0), k = logits.dim(1);
        int grid = lossGrid(l, n);
        Tensor part = l.partialBuffer(3 * grid);  // grid first-bad rows, then (loss, correct) pairs
        Launcher.Ptr bads = l.ptr(part), sums = new Launcher.Ptr(bads.address() + 8L * grid);
        l.launch("softmax_label_check_f32", grid, 0, l.ptr(labels), bads, n, k);
        l.launch("softmax_xent_f32", grid, 0, l.ptr(logits), l.ptr(labels), l.optPtr(dlogits), gradScale,
                bads, sums, n, k);
        double[] p = Launches.partials(part);  // the labels were checked on the device: this is the only read back
        double loss = 0, correct = 0, bad = n;
        for (int b = 0; b < grid; b++) {
            bad = Math.min(bad, p[b]);
            loss += p[grid + 2 * b];
            correct += p[grid + 2 * b + 1];
        }
        if (bad < n) {
            float[] value = new float[1];
            l.launcher().download(l.backend().address(labels) + 4 * (long) bad, value, 1);
            throw LossChecks.badLabel((int) bad, k, value[0]);
        }
        return new LossStats(loss / n, (int) correct, n);
    }

    /** The grid of softmax_xent_f32 over a batch of n rows (the graph-captured step uses it too, for the same sums). */
    static int lossGrid(Launches l, int n) { return l.grid(n, l.threads("softmax_xent_f32")); }

    @Override public double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) {
        LossChecks.mseLoss(pred, target, dpred);
        long n = pred.size();
        float coef = (float) (2.0 * gradScale / n);
        int grid = l.grid(n, l.threads("mse_loss_f32"));
        Tensor part = l.partialBuffer(grid);
        l.launch("mse_loss_f32", grid, 0, l.ptr(pred), l.ptr(target), l.optPtr(dpred), coef, l.ptr(part), n);
        return Launches.sumInOrder(Launches.partials(part)) / n;
    }

    /** The probabilities are checked on the device, so the call reads back only its partials (one synchronisation). */
    @Override public double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) {
        LossChecks.bceLossShapes(prob, target, dprob);
        long n = prob.size();
        int grid = l.grid(n, l.threads("bce_loss_f32"));
        Tensor part = l.partialBuffer(2 * grid);  // grid first-bad indices, then grid loss sums
        Launcher.Ptr bads = l.ptr(part), sums = new Launcher.Ptr(bads.address() + 8L * grid);
        l.launch("bce_check_f32", grid, 0, l.ptr(prob), bads, n);
        l.launch("bce_loss_f32", grid, 0, l.ptr(prob), l.ptr(target), l.optPtr(dprob), gradScale, bads, sums, n);
        double[] p = Launches.partials(part);
        double loss = 0, bad = n;
        for (int b = 0; b < grid; b++) {
            bad = Math.min(bad, p[b]);
            loss += p[grid + b];
        }
        if (bad < n) {
            float[] value = new float[1];
            l.launcher().download(l.backend().address(prob) + 4 * (long) bad, value, 1);
            throw LossChecks.badProbability((long) bad, value[0]);
        }
        return loss / n;
    }
}
