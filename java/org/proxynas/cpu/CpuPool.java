package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuPool {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuPool(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void maxPoolForward(Tensor x, Tensor y, ConvGeom g) {
        throw new UnsupportedOperationException("maxPoolForward: not implemented yet");
    }

    void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) {
        throw new UnsupportedOperationException("maxPoolBackward: not implemented yet");
    }

    void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) {
        throw new UnsupportedOperationException("avgPoolForward: not implemented yet");
    }

    void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) {
        throw new UnsupportedOperationException("avgPoolBackward: not implemented yet");
    }

    void globalAvgPoolForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("globalAvgPoolForward: not implemented yet");
    }

    void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) {
        throw new UnsupportedOperationException("globalAvgPoolBackward: not implemented yet");
    }
}
