package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.List;

/** Dense conv (groups 1, no bias): the stem and the auxiliary head. */
public final class Conv implements Layer {
    private final Net net;
    private final int cout;
    private final ConvGeom geom;
    private final Param w;
    private Tensor x, y;

    public Conv(Net net, String name, int cin, int cout, ConvGeom geom) {
        this.net = net;
        this.cout = cout;
        this.geom = geom;
        this.w = Params.uniform(net, name + ".weight", cin * geom.kernel() * geom.kernel(), cout, cin, geom.kernel(), geom.kernel());
    }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(outShape(x.shape()));
        net.k().convForward(x, w.value(), y, geom);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (net.parameterGradients()) net.k().convBackwardFilter(x, dy, w.grad(), geom);
        if (dx != null) net.k().convBackwardData(dy, w.value(), dx, geom, accumulate);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], cout, geom.outSize(in[2]), geom.outSize(in[3])}; }

    @Override public void collectParams(List<Param> out) { out.add(w); }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
