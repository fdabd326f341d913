package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * FactorizedReduce(C_in, C_out): ReLU, two stride-2 1x1 convs of C_out/2 outputs each (the second on the input
 * shifted by one pixel), channel concat, BN. Needs even H and W, as PyTorch's version does.
 */
public final class FactorizedReduce implements Layer {
    private final Net net;
    private final int cout;
    private final Relu relu;
    private final PointwiseConv conv1, conv2;
    private final BatchNorm bn;
    private Tensor cat, reluOut;

    public FactorizedReduce(Net net, String name, int cin, int cout, boolean affine) {
        if (cout % 2 != 0) throw new IllegalArgumentException(name + ": FactorizedReduce needs an even output channel count, got " + cout);
        this.net = net;
        this.cout = cout;
        this.relu = new Relu(net);
        this.conv1 = new PointwiseConv(net, name + ".conv_1", cin, cout / 2, 2, 0);
        this.conv2 = new PointwiseConv(net, name + ".conv_2", cin, cout / 2, 2, 1);
        this.bn = new BatchNorm(net, name + ".bn", cout, affine);
    }

    @Override public Tensor forward(Tensor x) {
        if (x.h() % 2 != 0 || x.w() % 2 != 0) {
            throw new IllegalArgumentException("FactorizedReduce needs even height and width, got " + x.h() + "x" + x.w());
        }
        reluOut = relu.forward(x);
        Tensor a = conv1.forward(reluOut), b = conv2.forward(reluOut);
        cat = net.ws().take(outShape(x.shape()));
        net.k().copyChannels(a, 0, cat, 0, cout / 2, false);
        net.k().copyChannels(b, 0, cat, cout / 2, cout / 2, false);
        if (!net.keepsActivations()) { conv1.release(); conv2.release(); relu.release(); }
        Tensor y = bn.forward(cat);
        if (!net.keepsActivations()) { net.ws().give(cat); cat = null; }
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        Tensor dcat = net.ws().take(cat.shape());
        bn.backward(dy, dcat, false);
        int[] half = conv1.outShape(reluOut.shape());
        Tensor dhalf = net.ws().take(half);
        Tensor dr = net.ws().take(reluOut.shape());
        net.k().copyChannels(dcat, 0, dhalf, 0, cout / 2, false);
        conv1.backward(dhalf, dr, false);
        net.k().copyChannels(dcat, cout / 2, dhalf, 0, cout / 2, false);
        conv2.backward(dhalf, dr, true);
        relu.backward(dr, dx, accumulate);
        net.ws().give(dcat);
        net.ws().give(dhalf);
        net.ws().give(dr);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], cout, in[2] / 2, in[3] / 2}; }

    @Override public void collectParams(List<Param> out) { conv1.collectParams(out); conv2.collectParams(out); bn.collectParams(out); }

    @Override public void collectBuffers(List<NamedTensor> out) { bn.collectBuffers(out); }

    @Override public void release() {
        relu.release(); conv1.release(); conv2.release(); bn.release();
        net.ws().give(cat);
        cat = null;
    }
}
