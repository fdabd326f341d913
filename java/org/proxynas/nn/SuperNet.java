package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The DARTS search network (docs/method.md#search-space): stem conv + BN, L cells of mixed edges (normal cells share
 * one architecture, reduction cells another), global average pool, linear classifier. Every cell BN is affine-free.
 * Runs in mixture mode (all ops, softmax(alpha)-weighted: the DARTS baseline) or single-path mode (the sampled
 * op per edge, scaled by its relaxed weight: PVLL).
 */
public final class SuperNet {
    private final Net net;
    private final SuperNetConfig config;
    private final CellNetwork trunk;
    private final CellArch normal, reduce;
    private final List<Param> params = new ArrayList<>();
    private final List<NamedTensor> buffers = new ArrayList<>();

    public SuperNet(Backend backend, SuperNetConfig config, Rng initRng) {
        this.net = new Net(backend, initRng);
        this.config = config;
        this.normal = new CellArch(backend);
        this.reduce = new CellArch(backend);
        int c = config.channels();
        int cCur = config.stemMultiplier() * c;
        Conv stemConv = new Conv(net, "stem.conv", config.inChannels(), cCur, ConvGeom.of(3, 1, 1));
        BatchNorm stemBn = new BatchNorm(net, "stem.bn", cCur, true);
        int cPrevPrev = cCur, cPrev = cCur;
        cCur = c;
        Cell[] cells = new Cell[config.layers()];
        boolean prevReduction = false;
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = config.isReduction(i);
            if (reduction) cCur *= 2;
            String name = "cells." + i;
            Layer pre0 = prevReduction ? new FactorizedReduce(net, name + ".pre0", cPrevPrev, cCur, false)
                    : Ops.reluConvBn(net, name + ".pre0", cPrevPrev, cCur, false);
            Layer pre1 = Ops.reluConvBn(net, name + ".pre1", cPrev, cCur, false);
            CellArch arch = reduction ? reduce : normal;
            Edge[][] nodeEdges = new Edge[4][];
            int e = 0;
            for (int node = 0; node < 4; node++) {
                nodeEdges[node] = new Edge[2 + node];
                for (int j = 0; j < 2 + node; j++, e++) {
                    int stride = reduction && j < 2 ? 2 : 1;
                    nodeEdges[node][j] = new MixedEdge(net, name + ".edge" + e, e, j, cCur, stride, arch);
                }
            }
            cells[i] = new Cell(net, pre0, pre1, nodeEdges, new int[] {2, 3, 4, 5}, cCur, reduction);
            prevReduction = reduction;
            cPrevPrev = cPrev;
            cPrev = cells[i].outChannels();
        }
        trunk = new CellNetwork(net, stemConv, stemBn, cells, new Linear(net, "classifier", cPrev, config.classes(), true));
        trunk.collectParams(params);
        trunk.collectBuffers(buffers);
    }

    public SuperNetConfig config() { return config; }
    public Backend backend() { return net.backend(); }
    public List<Param> params() { return params; }
    public List<NamedTensor> buffers() { return buffers; }

    public long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    public void train() { net.setTraining(true); }
    public void eval() { net.setTraining(false); }
    /** Batch statistics with no backward to follow: activations are freed as they are consumed (validation with batch statistics). */
    public void forwardOnly() { net.setMode(Net.Mode.FORWARD_ONLY); }
    /** Batch statistics, and a backward that computes the mixture-weight gradients but no parameter gradient (an alpha step). */
    public void architectureOnly() { net.setMode(Net.Mode.ARCHITECTURE); }
    public boolean training() { return net.training(); }

    /**
     * Mixture mode with the given per-edge weights (usually softmax(alpha)), 14 x 8 per cell type. The weights go to
     * backend memory (an upload per cell type whose weights changed), where every later step reads them: a captured
     * mixture step needs no re-capture for new weights.
     */
    public void setMixture(float[][] normalWeights, float[][] reduceWeights) {
        normal.setMixture(normalWeights);
        reduce.setMixture(reduceWeights);
    }

    /** Single-path mode: one op index and its relaxed weight per edge, for each cell type. */
    public void setPath(int[] normalOps, float[] normalWeights, int[] reduceOps, float[] reduceWeights) {
        normal.setPath(normalOps, normalWeights);
        reduce.setPath(reduceOps, reduceWeights);
    }

    /** Single-path mode on a sampled path. */
    public void setPath(SampledPath path) {
        setPath(path.opIndices(CellType.NORMAL), path.weights(CellType.NORMAL), path.opIndices(CellType.REDUCE), path.weights(CellType.REDUCE));
    }

    public boolean singlePath() { return normal.singlePath; }

    /** Logits [N, classes]; valid until {@link #release()}. */
    public Tensor forward(Tensor x) {
        InputChecks.image(x, config.inChannels());
        return trunk.forward(x, i -> {});
    }

    /** Accumulates parameter gradients (and, in mixture mode, mixture-weight gradients) from dlogits. */
    public void backward(Tensor dlogits) { trunk.backward(dlogits, (i, d) -> {}); }

    /** Zeroes parameter gradients and the mixture-weight gradients. */
    public void zeroGrad() {
        for (Param p : params) net.k().fill(p.grad(), 0f);
        zeroMixtureGrad();
    }

    /** Zeroes the mixture-weight gradients only (two launches: a captured step zeroes its parameters' gradients itself). */
    public void zeroMixtureGrad() {
        normal.zeroGrad(net.k());
        reduce.zeroGrad(net.k());
    }

    /**
     * d loss / d mixture weight, 14 x 8, summed over the cells of that type (mixture mode). The gradient is kept in
     * backend memory during the step: this is its one read back.
     */
    public double[][] mixtureGrad(boolean reduction) { return (reduction ? reduce : normal).mixtureGrad(); }

    /** Elements of the activation and gradient buffers the network's workspace holds (its high-water mark). */
    public long workspaceElements() { return net.ws().allocatedElements(); }

    /** Returns all activations of the last forward to the workspace. */
    public void release() { trunk.release(); }
}
