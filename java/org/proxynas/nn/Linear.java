package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/** y = x W^T + b on [N, in] rows. */
public final class Linear implements Layer {
    private final Net net;
    private final int out;
    private final Param w, b;
    private Tensor x, y;

    public Linear(Net net, String name, int in, int out, boolean bias) {
        this.net = net;
        this.out = out;
        this.w = Params.uniform(net, name + ".weight", in, out, in);
        this.b = bias ? Params.uniform(net, name + ".bias", in, out) : null;
    }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(x.n(), out);
        net.k().linearForward(x, w.value(), b == null ? null : b.value(), y);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (net.parameterGradients()) net.k().linearBackwardParams(x, dy, w.grad(), b == null ? null : b.grad());
        if (dx != null) net.k().linearBackwardData(dy, w.value(), dx, accumulate);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], out}; }

    @Override public void collectParams(List<Param> o) { o.add(w); if (b != null) o.add(b); }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
