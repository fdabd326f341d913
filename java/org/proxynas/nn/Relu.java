package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** ReLU into its own buffer (the input usually belongs to another layer and is still needed). */
public final class Relu implements Layer {
    private final Net net;
    private Tensor y;

    public Relu(Net net) { this.net = net; }

    @Override public Tensor forward(Tensor x) {
        y = net.ws().take(x.shape());
        net.k().relu(x, y);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) { net.k().reluBackward(y, dy, dx, accumulate); }

    @Override public int[] outShape(int[] in) { return in; }

    @Override public void release() { net.ws().give(y); y = null; }
}
