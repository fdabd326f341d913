package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/** 1x1 conv (no bias) with optional stride and pixel offset (the halves of FactorizedReduce). */
public final class PointwiseConv implements Layer {
    private final Net net;
    private final int cout, stride, offset;
    private final Param w;
    private Tensor x, y;

    public PointwiseConv(Net net, String name, int cin, int cout, int stride, int offset) {
        this.net = net;
        this.cout = cout;
        this.stride = stride;
        this.offset = offset;
        this.w = Params.uniform(net, name + ".weight", cin, cout, cin, 1, 1);
    }

    public PointwiseConv(Net net, String name, int cin, int cout) { this(net, name, cin, cout, 1, 0); }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(outShape(x.shape()));
        net.k().pointwiseConvForward(x, w.value(), y, stride, offset);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (net.parameterGradients()) net.k().pointwiseConvBackwardWeight(x, dy, w.grad(), stride, offset);
        net.k().pointwiseConvBackwardData(dy, w.value(), dx, stride, offset, accumulate);
    }

    @Override public int[] outShape(int[] in) {
        return new int[] {in[0], cout, (in[2] - offset - 1) / stride + 1, (in[3] - offset - 1) / stride + 1};
    }

    @Override public void collectParams(List<Param> out) { out.add(w); }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
