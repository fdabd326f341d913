package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** Parameter creation with PyTorch's default initialisations, drawn from the network's init stream. */
final class Params {
    private Params() {}

    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): kaiming_uniform(a=sqrt(5)) for conv/linear weights and linear biases. */
    static Param uniform(Net net, String name, int fanIn, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        Tensor v = net.backend().allocate(shape);
        float[] h = new float[(int) v.size()];
        for (int i = 0; i < h.length; i++) h[i] = (float) ((2 * net.initRng().nextDouble() - 1) * bound);
        v.fromHost(h);
        return new Param(name, v, net.backend().allocate(shape));
    }

    static Param constant(Net net, String name, float value, int... shape) {
        Tensor v = net.backend().allocate(shape);
        if (value != 0f) net.k().fill(v, value);
        return new Param(name, v, net.backend().allocate(shape));
    }
}
