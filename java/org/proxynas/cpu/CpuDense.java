package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuDense {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuDense(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        throw new UnsupportedOperationException("linearForward: not implemented yet");
    }

    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) {
        throw new UnsupportedOperationException("linearBackwardData: not implemented yet");
    }

    void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        throw new UnsupportedOperationException("linearBackwardParams: not implemented yet");
    }

    void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) {
        throw new UnsupportedOperationException("batchedMatMul: not implemented yet");
    }

    void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        throw new UnsupportedOperationException("lstmCellForward: not implemented yet");
    }

    void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        throw new UnsupportedOperationException("lstmCellBackward: not implemented yet");
    }
}
