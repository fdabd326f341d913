package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * A supernet edge holding all 8 ops. Mixture mode runs every op but `none` and weights each by its mixture
 * weight (the DARTS relaxation; the mixture-weight gradient is the dot product of the node gradient with the op
 * output). The weights are read from, and their gradients added to, the cell type's tensors in backend memory
 * ({@link CellArch}). Single-path mode runs only the sampled op, scaled by its relaxed weight (PVLL); no gradient
 * reaches the architecture through the supernet. In training, ops that end in an affine-free batch norm
 * ({@link DeferredNorm}) leave it to the node sum, and the backward of the whole edge's batch norms, weights and
 * mixture-weight gradients is one {@link org.proxynas.tensor.Kernels#bnWeightedSumBackward} call.
 */
final class MixedEdge implements Edge {
    private final Net net;
    private final int index, input;
    private final CellArch arch;
    private final Layer[] ops = new Layer[Ops.COUNT];
    private final Tensor[] outs = new Tensor[Ops.COUNT];
    private final boolean[] ran = new boolean[Ops.COUNT], deferred = new boolean[Ops.COUNT];
    private final NodeTerms terms = new NodeTerms();
    private final int[] termOps = new int[Ops.COUNT];

    MixedEdge(Net net, String name, int index, int input, int c, int stride, CellArch arch) {
        this.net = net;
        this.index = index;
        this.input = input;
        this.arch = arch;
        for (int k = 1; k < Ops.COUNT; k++) ops[k] = Ops.create(net, name + ".op" + k, k, c, stride, false, true);
    }

    @Override public int input() { return input; }

    @Override public void forward(Tensor x, NodeTerms node) {
        java.util.Arrays.fill(ran, false);
        terms.clear();
        if (arch.singlePath) {
            int k = arch.pathOps[index];
            if (k != Ops.NONE) run(k, x, node);
        } else {
            for (int k = 1; k < Ops.COUNT; k++) run(k, x, node);
        }
    }

    /** Runs op k and adds its term: weighted by the path's weight, or by its mixture-weight slot in mixture mode. */
    private void run(int k, Tensor x, NodeTerms node) {
        deferred[k] = net.training() && ops[k] instanceof DeferredNorm;
        Tensor mean = null, invStd = null;
        if (deferred[k]) {
            DeferredNorm op = (DeferredNorm) ops[k];
            outs[k] = op.forwardPreNorm(x);
            mean = op.mean();
            invStd = op.invStd();
        } else {
            outs[k] = ops[k].forward(x);
        }
        ran[k] = true;
        termOps[terms.size()] = k;
        if (arch.singlePath) {
            terms.add(outs[k], mean, invStd, arch.pathWeights[index]);
            node.add(outs[k], mean, invStd, arch.pathWeights[index]);
        } else {
            terms.add(outs[k], mean, invStd, arch.mixtureValues, CellArch.slot(index, k));
            node.add(outs[k], mean, invStd, arch.mixtureValues, CellArch.slot(index, k));
        }
    }

    @Override public void backward(Tensor dnode, Tensor dx) {
        int count = terms.size();
        if (count == 0) return;
        Tensor[] dops = new Tensor[count];
        for (int t = 0; t < count; t++) dops[t] = net.ws().take(outs[termOps[t]].shape());
        net.k().bnWeightedSumBackward(dnode, terms.xs(), terms.means(), terms.invStds(),
                terms.weights(arch.singlePath ? null : arch.mixtureGrads), dops, false);
        for (int t = 0; t < count; t++) {
            int k = termOps[t];
            if (deferred[k]) ((DeferredNorm) ops[k]).backwardPreNorm(dops[t], dx, true);
            else ops[k].backward(dops[t], dx, true);
            net.ws().give(dops[t]);
        }
    }

    @Override public void collectParams(List<Param> out) { for (int k = 1; k < Ops.COUNT; k++) ops[k].collectParams(out); }

    @Override public void collectBuffers(List<NamedTensor> out) { for (int k = 1; k < Ops.COUNT; k++) ops[k].collectBuffers(out); }

    @Override public void release() {
        for (int k = 1; k < Ops.COUNT; k++) if (ran[k]) ops[k].release();
        java.util.Arrays.fill(ran, false);
        terms.clear();
    }
}
