package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuNorm {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuNorm(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        throw new UnsupportedOperationException("batchNormTrainForward: not implemented yet");
    }

    void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps, Tensor y) {
        throw new UnsupportedOperationException("batchNormEvalForward: not implemented yet");
    }

    void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta, boolean accumulate) {
        throw new UnsupportedOperationException("batchNormBackward: not implemented yet");
    }

    void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate) {
        throw new UnsupportedOperationException("batchNormEvalBackward: not implemented yet");
    }
}
