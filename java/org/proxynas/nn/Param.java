package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * A trainable tensor and its gradient (same shape), for the networks and the proxy regressors alike. Gradients
 * accumulate during backward; a step zeroes them first.
 */
public record Param(String name, Tensor value, Tensor grad) {
    public long size() { return value.size(); }

    /** PyTorch's default conv / Linear / LSTM initialisation: every entry U(-bound, bound), drawn from rng. */
    public static Param uniform(Backend backend, Rng rng, String name, double bound, int... shape) {
        Tensor v = backend.allocate(shape);
        float[] h = new float[Math.toIntExact(v.size())];
        for (int i = 0; i < h.length; i++) h[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        v.fromHost(h);
        return new Param(name, v, backend.allocate(shape));
    }

    /** Every entry value (BatchNorm weight 1 / bias 0, GIN epsilon 0). */
    public static Param constant(Backend backend, String name, float value, int... shape) {
        Tensor v = backend.allocate(shape);
        if (value != 0f) backend.kernels().fill(v, value);
        return new Param(name, v, backend.allocate(shape));
    }
}
