package org.proxynas.proxy;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * A trainable tensor of a proxy regressor and its gradient (same shape). Gradients accumulate during a backward
 * pass; a training step zeroes them first.
 */
public record TensorParam(String name, Tensor value, Tensor grad) {

    public long size() { return value.size(); }

    /** PyTorch's default Linear / LSTM initialisation: every entry U(-bound, bound), drawn from {@code rng}. */
    static TensorParam uniform(Backend backend, Rng rng, String name, double bound, int... shape) {
        Tensor v = backend.allocate(shape);
        float[] h = new float[Math.toIntExact(v.size())];
        for (int i = 0; i < h.length; i++) h[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        v.fromHost(h);
        return new TensorParam(name, v, backend.allocate(shape));
    }

    /** Every entry {@code value} (BatchNorm weight 1 / bias 0, GIN epsilon 0). */
    static TensorParam constant(Backend backend, String name, float value, int... shape) {
        Tensor v = backend.allocate(shape);
        if (value != 0f) backend.kernels().fill(v, value);
        return new TensorParam(name, v, backend.allocate(shape));
    }
}
