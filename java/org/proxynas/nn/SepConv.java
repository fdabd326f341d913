package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * The supernet's sep conv on the fused kernels: two {@link ReluDwPwBn} halves (the first with the op's stride), the
 * second's batch norm deferrable to the node sum. Names as the unfused Ops.sepConv: name.dw1, pw1, bn1, dw2, ...
 */
final class SepConv implements DeferredNorm {
    private final Net net;
    private final ReluDwPwBn first, second;
    private int[] midShape;

    SepConv(Net net, String name, int c, int k, int stride, int pad) {
        this.net = net;
        this.first = new ReluDwPwBn(net, name + ".dw1", name + ".pw1", name + ".bn1", c, new ConvGeom(k, stride, pad, 1));
        this.second = new ReluDwPwBn(net, name + ".dw2", name + ".pw2", name + ".bn2", c, new ConvGeom(k, 1, pad, 1));
    }

    @Override public Tensor forward(Tensor x) {
        Tensor h = first.forward(x);
        midShape = h.shape();
        Tensor y = second.forward(h);
        if (!net.keepsActivations()) first.release();  // as Sequential: with no backward to come, an output is freed once consumed
        return y;
    }

    @Override public Tensor forwardPreNorm(Tensor x) {
        Tensor h = first.forward(x);
        midShape = h.shape();
        Tensor y = second.forwardPreNorm(h);
        if (!net.keepsActivations()) first.release();
        return y;
    }

    @Override public Tensor mean() { return second.mean(); }

    @Override public Tensor invStd() { return second.invStd(); }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        Tensor dh = net.ws().take(midShape);
        second.backward(dy, dh, false);
        first.backward(dh, dx, accumulate);
        net.ws().give(dh);
    }

    @Override public void backwardPreNorm(Tensor dpre, Tensor dx, boolean accumulate) {
        Tensor dh = net.ws().take(midShape);
        second.backwardPreNorm(dpre, dh, false);
        first.backward(dh, dx, accumulate);
        net.ws().give(dh);
    }

    @Override public int[] outShape(int[] in) { return second.outShape(first.outShape(in)); }

    @Override public void collectParams(List<Param> o) {
        first.collectParams(o);
        second.collectParams(o);
    }

    @Override public void collectBuffers(List<NamedTensor> o) {
        first.collectBuffers(o);
        second.collectBuffers(o);
    }

    @Override public void release() {
        first.release();
        second.release();
    }
}
