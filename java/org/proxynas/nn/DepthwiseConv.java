package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.List;

/** Depthwise k x k conv (groups = C, no bias). */
public final class DepthwiseConv implements Layer {
    private final Net net;
    private final ConvGeom geom;
    private final Param w;
    private Tensor x, y;

    public DepthwiseConv(Net net, String name, int channels, ConvGeom geom) {
        this.net = net;
        this.geom = geom;
        this.w = Params.uniform(net, name + ".weight", geom.kernel() * geom.kernel(), channels, 1, geom.kernel(), geom.kernel());
    }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(outShape(x.shape()));
        net.k().depthwiseConvForward(x, w.value(), y, geom);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (net.parameterGradients()) net.k().depthwiseConvBackwardFilter(x, dy, w.grad(), geom);
        net.k().depthwiseConvBackwardData(dy, w.value(), dx, geom, accumulate);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], in[1], geom.outSize(in[2]), geom.outSize(in[3])}; }

    @Override public void collectParams(List<Param> out) { out.add(w); }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
