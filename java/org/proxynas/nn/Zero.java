package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** The `none` op: zeros (halved spatially at stride 2). Its gradient is zero. */
public final class Zero implements Layer {
    private final Net net;
    private final int stride;
    private Tensor y;

    public Zero(Net net, int stride) { this.net = net; this.stride = stride; }

    @Override public Tensor forward(Tensor x) {
        y = net.ws().takeZeroed(outShape(x.shape()));
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (!accumulate) net.k().fill(dx, 0f);
    }

    @Override public int[] outShape(int[] in) {
        return new int[] {in[0], in[1], (in[2] + stride - 1) / stride, (in[3] + stride - 1) / stride};
    }

    @Override public void release() { net.ws().give(y); y = null; }
}
