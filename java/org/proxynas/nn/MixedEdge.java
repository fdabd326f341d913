package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * A supernet edge holding all 8 ops. Mixture mode runs every op but `none` and weights each by its mixture
 * weight (the DARTS relaxation; the mixture-weight gradient is the dot product of the node gradient with the op
 * output). Single-path mode runs only the sampled op, scaled by its relaxed weight (PVLL); no gradient reaches
 * the architecture through the supernet.
 */
final class MixedEdge implements Edge {
    private final Net net;
    private final int index, input;
    private final CellArch arch;
    private final Layer[] ops = new Layer[Ops.COUNT];
    private final Tensor[] outs = new Tensor[Ops.COUNT];
    private final boolean[] ran = new boolean[Ops.COUNT];

    MixedEdge(Net net, String name, int index, int input, int c, int stride, CellArch arch) {
        this.net = net;
        this.index = index;
        this.input = input;
        this.arch = arch;
        for (int k = 1; k < Ops.COUNT; k++) ops[k] = Ops.create(net, name + ".op" + k, k, c, stride, false, true);
    }

    @Override public int input() { return input; }

    @Override public void forward(Tensor x, List<Tensor> outList, List<Float> weights) {
        java.util.Arrays.fill(ran, false);
        if (arch.singlePath) {
            int k = arch.pathOps[index];
            if (k != Ops.NONE) run(k, x, arch.pathWeights[index], outList, weights);
        } else {
            for (int k = 1; k < Ops.COUNT; k++) run(k, x, arch.mixture[index][k], outList, weights);
        }
    }

    private void run(int k, Tensor x, float weight, List<Tensor> outList, List<Float> weights) {
        outs[k] = ops[k].forward(x);
        ran[k] = true;
        outList.add(outs[k]);
        weights.add(weight);
    }

    @Override public void backward(Tensor dnode, Tensor dx) {
        for (int k = 1; k < Ops.COUNT; k++) {
            if (!ran[k]) continue;
            float w;
            if (arch.singlePath) {
                w = arch.pathWeights[index];
            } else {
                w = arch.mixture[index][k];
                arch.mixtureGrad[index][k] += net.k().dot(dnode, outs[k]);
            }
            Tensor dop = net.ws().take(dnode.shape());
            net.k().weightedSum(new Tensor[] {dnode}, new float[] {w}, dop, false);
            ops[k].backward(dop, dx, true);
            net.ws().give(dop);
        }
    }

    @Override public void collectParams(List<Param> out) { for (int k = 1; k < Ops.COUNT; k++) ops[k].collectParams(out); }

    @Override public void collectBuffers(List<NamedTensor> out) { for (int k = 1; k < Ops.COUNT; k++) ops[k].collectBuffers(out); }

    @Override public void release() {
        for (int k = 1; k < Ops.COUNT; k++) if (ran[k]) ops[k].release();
        java.util.Arrays.fill(ran, false);
    }
}
