package org.proxynas.nn;

/** A network's parameters with PyTorch's default initialisations, drawn from the network's init stream. */
final class Params {
    private Params() {}

    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): kaiming_uniform(a=sqrt(5)) for conv/linear weights and linear biases. */
    static Param uniform(Net net, String name, int fanIn, int... shape) {
        return Param.uniform(net.backend(), net.initRng(), name, 1.0 / Math.sqrt(fanIn), shape);
    }

    static Param constant(Net net, String name, float value, int... shape) {
        return Param.constant(net.backend(), name, value, shape);
    }
}
