package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: TODO family. */
final class CpuElementwise {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuElementwise(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    void relu(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("relu: not implemented yet");
    }

    void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        throw new UnsupportedOperationException("reluBackward: not implemented yet");
    }

    void sigmoid(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("sigmoid: not implemented yet");
    }

    void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        throw new UnsupportedOperationException("sigmoidBackward: not implemented yet");
    }

    void fill(Tensor t, float value) {
        throw new UnsupportedOperationException("fill: not implemented yet");
    }

    void axpy(float a, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("axpy: not implemented yet");
    }

    void scale(Tensor x, float a) {
        throw new UnsupportedOperationException("scale: not implemented yet");
    }

    void mul(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        throw new UnsupportedOperationException("mul: not implemented yet");
    }

    void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate) {
        throw new UnsupportedOperationException("weightedSum: not implemented yet");
    }

    void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate) {
        throw new UnsupportedOperationException("scaleSamples: not implemented yet");
    }

    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        throw new UnsupportedOperationException("dropout: not implemented yet");
    }

    double dot(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("dot: not implemented yet");
    }

    double sumSquares(Tensor x) {
        throw new UnsupportedOperationException("sumSquares: not implemented yet");
    }

    void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate) {
        throw new UnsupportedOperationException("copyChannels: not implemented yet");
    }
}
