package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/** Max or average pooling (average excludes padding unless countIncludePad). */
public final class Pool implements Layer {
    private final Net net;
    private final boolean max, countIncludePad;
    private final ConvGeom geom;
    private Tensor x, y;

    private Pool(Net net, boolean max, ConvGeom geom, boolean countIncludePad) {
        this.net = net;
        this.max = max;
        this.geom = geom;
        this.countIncludePad = countIncludePad;
    }

    public static Pool max(Net net, ConvGeom geom) { return new Pool(net, true, geom, false); }

    public static Pool avg(Net net, ConvGeom geom, boolean countIncludePad) { return new Pool(net, false, geom, countIncludePad); }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(outShape(x.shape()));
        if (max) net.k().maxPoolForward(x, y, geom);
        else net.k().avgPoolForward(x, y, geom, countIncludePad);
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        if (max) net.k().maxPoolBackward(x, dy, dx, geom, accumulate);
        else net.k().avgPoolBackward(dy, dx, geom, countIncludePad, accumulate);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], in[1], geom.outSize(in[2]), geom.outSize(in[3])}; }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
