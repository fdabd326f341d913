package org.proxynas.cpu;

import java.util.List;

import org.proxynas.tensor.OptimChecks;
import org.proxynas.tensor.OptimKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU kernels: optimiser steps, elementwise over a parameter tensor in fp32 (as PyTorch's single-tensor
 * implementations); scalar factors such as Adam's bias corrections are formed in double once per call.
 */
final class CpuOptim implements OptimKernels {
    private final CpuBackend backend;
    private final Parallel parallel;
    private final CpuElementwise elementwise;

    CpuOptim(CpuBackend backend, Parallel parallel, CpuElementwise elementwise) {
        this.backend = backend;
        this.parallel = parallel;
        this.elementwise = elementwise;
    }

    /** The reference clip: per-tensor sums of squares added in list order, then every gradient scaled. */
    @Override public void clipGradNorm(List<Tensor> grads, double maxNorm) {
        OptimChecks.clipGradNorm(grads, maxNorm);
        double sq = 0;
        for (Tensor g : grads) sq += elementwise.sumSquares(g);
        double coef = maxNorm / (Math.sqrt(sq) + 1e-6);
        if (coef < 1) for (Tensor g : grads) elementwise.scale(g, (float) coef);
    }

    @FunctionalInterface
    private interface RangeBody { void run(int start, int end); }

    private void blocks(int n, RangeBody body) {
        int block = CpuElementwise.BLOCK;
        int count = (n + block - 1) / block;
        if (count <= 1) body.run(0, n);
        else parallel.forEach(count, b -> body.run(b * block, Math.min(n, (b + 1) * block)));
    }

    /** PyTorch SGD (dampening 0, no Nesterov): d = g + wd p; buf = momentum buf + d; p -= lr buf. */
    @Override public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) {
        OptimChecks.sgdStep(param, grad, momentumBuf, lr, momentum, weightDecay);
        float[] ps = CpuBackend.data(param), gs = CpuBackend.data(grad), bs = CpuBackend.data(momentumBuf);
        blocks((int) param.size(), (s, e) -> {
            for (int i = s; i < e; i++) {
                float d = gs[i] + weightDecay * ps[i];
                float b = momentum * bs[i] + d;
                bs[i] = b;
                ps[i] -= lr * b;
            }
        });
    }

    /**
     * PyTorch Adam (amsgrad off) with L2 decay: g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
     * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
     */
    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        OptimChecks.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float oneMinusB1 = 1f - beta1, oneMinusB2 = 1f - beta2;
        float[] ps = CpuBackend.data(param), gs = CpuBackend.data(grad);
        float[] ms = CpuBackend.data(m), vs = CpuBackend.data(v);
        blocks((int) param.size(), (s, e) -> {
            for (int i = s; i < e; i++) {
                float g = gs[i] + weightDecay * ps[i];
                float mi = beta1 * ms[i] + oneMinusB1 * g;
                float vi = beta2 * vs[i] + oneMinusB2 * g * g;
                ms[i] = mi;
                vs[i] = vi;
                ps[i] -= stepSize * mi / ((float) Math.sqrt(vi) / bias2Sqrt + eps);
            }
        });
    }

}
