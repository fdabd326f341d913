package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuAugment {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuAugment(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void augment(Tensor source, AugmentPlan plan, Tensor out) {
        throw new UnsupportedOperationException("augment: not implemented yet");
    }
}
