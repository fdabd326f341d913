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
 * The DARTS search network (ALGORITHM.md section 2): stem conv + BN, L cells of mixed edges (normal cells share
 * one architecture, reduction cells another), global average pool, linear classifier. Every cell BN is affine-free.
 * Runs in mixture mode (all ops, softmax(alpha)-weighted: the DARTS baseline) or single-path mode (the sampled
 * op per edge, scaled by its relaxed weight: PVLL).
 */
public final class SuperNet {
    private final Net net;
    private final SuperNetConfig config;
    private final Conv stemConv;
    private final BatchNorm stemBn;
    private final Cell[] cells;
    private final GlobalAvgPool gap;
    private final Linear classifier;
    private final CellArch normal = new CellArch(), reduce = new CellArch();
    private final List<Param> params = new ArrayList<>();
    private final List<NamedTensor> buffers = new ArrayList<>();
    private final Tensor[] cellOuts;
    private Tensor stemOut, input;

    public SuperNet(Backend backend, SuperNetConfig config, Rng initRng) {
        this.net = new Net(backend, initRng);
        this.config = config;
        int c = config.channels();
        int cCur = config.stemMultiplier() * c;
        stemConv = new Conv(net, "stem.conv", config.inChannels(), cCur, ConvGeom.of(3, 1, 1));
        stemBn = new BatchNorm(net, "stem.bn", cCur, true);
        int cPrevPrev = cCur, cPrev = cCur;
        cCur = c;
        cells = new Cell[config.layers()];
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
        cellOuts = new Tensor[cells.length];
        gap = new GlobalAvgPool(net);
        classifier = new Linear(net, "classifier", cPrev, config.classes(), true);
        stemConv.collectParams(params);
        stemBn.collectParams(params);
        stemBn.collectBuffers(buffers);
        for (Cell cell : cells) { cell.collectParams(params); cell.collectBuffers(buffers); }
        classifier.collectParams(params);
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
    public boolean training() { return net.training(); }

    /** Mixture mode with the given per-edge weights (usually softmax(alpha)), 14 x 8 per cell type. */
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
        release();
        input = x;
        Tensor s = stemConv.forward(x);
        stemOut = stemBn.forward(s);
        if (!net.training()) stemConv.release();
        Tensor s0 = stemOut, s1 = stemOut;
        for (int i = 0; i < cells.length; i++) {
            cellOuts[i] = cells[i].forward(s0, s1);
            if (!net.training() && i >= 2) { cells[i - 2].release(); }
            s0 = s1;
            s1 = cellOuts[i];
        }
        Tensor pooled = gap.forward(s1);
        return classifier.forward(pooled);
    }

    /** Accumulates parameter gradients (and, in mixture mode, mixture-weight gradients) from dlogits. */
    public void backward(Tensor dlogits) {
        if (!net.training()) throw new IllegalStateException("backward needs training mode");
        Tensor last = cellOuts[cells.length - 1];
        Tensor dpooled = net.ws().take(last.n(), last.c());
        classifier.backward(dlogits, dpooled, false);
        Tensor[] dcell = new Tensor[cells.length];
        for (int i = 0; i < cells.length; i++) dcell[i] = net.ws().takeZeroed(cellOuts[i].shape());
        Tensor dstem = net.ws().takeZeroed(stemOut.shape());
        gap.backward(dpooled, dcell[cells.length - 1], true);
        net.ws().give(dpooled);
        for (int i = cells.length - 1; i >= 0; i--) {
            Tensor ds0 = i >= 2 ? dcell[i - 2] : dstem;
            Tensor ds1 = i >= 1 ? dcell[i - 1] : dstem;
            cells[i].backward(dcell[i], ds0, ds1);
            net.ws().give(dcell[i]);
        }
        Tensor dstemConv = net.ws().take(stemOut.shape());
        stemBn.backward(dstem, dstemConv, false);
        stemConv.backward(dstemConv, null, false);
        net.ws().give(dstem);
        net.ws().give(dstemConv);
    }

    /** Zeroes parameter gradients and the mixture-weight gradients. */
    public void zeroGrad() {
        for (Param p : params) net.k().fill(p.grad(), 0f);
        normal.zeroGrad();
        reduce.zeroGrad();
    }

    /** d loss / d mixture weight, 14 x 8, summed over the cells of that type (mixture mode). */
    public double[][] mixtureGrad(boolean reduction) {
        double[][] src = (reduction ? reduce : normal).mixtureGrad;
        double[][] copy = new double[src.length][];
        for (int i = 0; i < src.length; i++) copy[i] = src[i].clone();
        return copy;
    }

    /** Returns all activations of the last forward to the workspace. */
    public void release() {
        stemConv.release();
        stemBn.release();
        for (Cell cell : cells) cell.release();
        java.util.Arrays.fill(cellOuts, null);
        gap.release();
        classifier.release();
        stemOut = null;
        input = null;
    }

    /** Floats the activation pool has allocated (a memory high-water mark). */
    public long workspaceFloats() { return net.ws().allocatedFloats(); }
}
