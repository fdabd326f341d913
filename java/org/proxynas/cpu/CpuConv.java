package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuConv {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuConv(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        throw new UnsupportedOperationException("depthwiseConvForward: not implemented yet");
    }

    void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        throw new UnsupportedOperationException("depthwiseConvBackwardData: not implemented yet");
    }

    void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        throw new UnsupportedOperationException("depthwiseConvBackwardFilter: not implemented yet");
    }

    void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) {
        throw new UnsupportedOperationException("pointwiseConvForward: not implemented yet");
    }

    void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) {
        throw new UnsupportedOperationException("pointwiseConvBackwardData: not implemented yet");
    }

    void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        throw new UnsupportedOperationException("pointwiseConvBackwardWeight: not implemented yet");
    }

    void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        throw new UnsupportedOperationException("convForward: not implemented yet");
    }

    void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        throw new UnsupportedOperationException("convBackwardData: not implemented yet");
    }

    void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        throw new UnsupportedOperationException("convBackwardFilter: not implemented yet");
    }
}
