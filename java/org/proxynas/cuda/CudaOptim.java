package org.proxynas.cuda;

import org.proxynas.tensor.OptimChecks;
import org.proxynas.tensor.OptimKernels;
import org.proxynas.tensor.Tensor;

/**
 * The optimiser steps on CUDA (cuda/optim.cu), as {@code CpuOptim} on the CPU: one thread per element, Adam's bias
 * corrections formed in double once per call on the host.
 */
final class CudaOptim implements OptimKernels {
    private final Launches l;
    private final GradNormClip clip;

    CudaOptim(Launches launches) {
        this.l = launches;
        this.clip = new GradNormClip(launches);
    }

    /** The two-pass device clip of {@link GradNormClip}: no read back, bit-identical to the captured step's. */
    @Override public void clipGradNorm(java.util.List<Tensor> grads, double maxNorm) { clip.clip(grads, maxNorm); }

    @Override public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) {
        OptimChecks.sgdStep(param, grad, momentumBuf, lr, momentum, weightDecay);
        l.perThread("sgd_step_f32", param.size(), l.ptr(param), l.ptr(grad), l.ptr(momentumBuf), lr, momentum,
                weightDecay, param.size());
    }

    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                                   float weightDecay, int step) {
        OptimChecks.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        l.perThread("adam_step_f32", param.size(), l.ptr(param), l.ptr(grad), l.ptr(m), l.ptr(v), stepSize,
                bias2Sqrt, beta1, beta2, 1f - beta1, 1f - beta2, eps, weightDecay, param.size());
    }
}
