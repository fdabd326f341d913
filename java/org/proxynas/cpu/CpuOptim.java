package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuOptim {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuOptim(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) {
        throw new UnsupportedOperationException("sgdStep: not implemented yet");
    }

    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        throw new UnsupportedOperationException("adamStep: not implemented yet");
    }
}
