package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** [N,C,H,W] -> [N,C] mean over the plane. */
public final class GlobalAvgPool implements Layer {
    private final Net net;
    private Tensor y;

    public GlobalAvgPool(Net net) { this.net = net; }

    @Override public Tensor forward(Tensor x) {
        y = net.ws().take(x.n(), x.c());
        net.k().globalAvgPoolForward(x, y);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) { net.k().globalAvgPoolBackward(dy, dx, accumulate); }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], in[1]}; }

    @Override public void release() { net.ws().give(y); y = null; }
}
