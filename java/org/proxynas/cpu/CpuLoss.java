package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuLoss {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuLoss(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) {
        throw new UnsupportedOperationException("softmaxCrossEntropy: not implemented yet");
    }

    double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) {
        throw new UnsupportedOperationException("mseLoss: not implemented yet");
    }

    double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) {
        throw new UnsupportedOperationException("bceLoss: not implemented yet");
    }
}
