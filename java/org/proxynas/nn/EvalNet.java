package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.Genotype;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation network of a derived genotype (DARTS NetworkCIFAR): stem, L cells with two ops per node,
 * affine BN, drop-path on non-identity edges, an optional auxiliary head after cell 2L/3, linear classifier.
 */
public final class EvalNet {
    private final Net net;
    private final EvalNetConfig config;
    private final CellNetwork trunk;
    private final AuxiliaryHead aux;
    private final FixedEdge.DropPath dropPath;
    private final List<Param> params = new ArrayList<>();
    private final List<Param> auxParams = new ArrayList<>();
    private final List<NamedTensor> buffers = new ArrayList<>();
    private Tensor auxLogits;

    /** imageSide: input height/width (the auxiliary head's size depends on it). */
    public EvalNet(Backend backend, EvalNetConfig config, CellSpec normal, CellSpec reduce, int imageSide, Rng initRng) {
        this.net = new Net(backend, initRng);
        this.config = config;
        this.dropPath = new FixedEdge.DropPath(initRng.split());
        int c = config.channels();
        int cCur = 3 * c;
        Conv stemConv = new Conv(net, "stem.conv", config.inChannels(), cCur, ConvGeom.of(3, 1, 1));
        BatchNorm stemBn = new BatchNorm(net, "stem.bn", cCur, true);
        int cPrevPrev = cCur, cPrev = cCur;
        cCur = c;
        Cell[] cells = new Cell[config.layers()];
        boolean prevReduction = false;
        int side = imageSide;
        AuxiliaryHead auxHead = null;
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = config.isReduction(i);
            if (reduction) { cCur *= 2; side /= 2; }
            CellSpec spec = reduction ? reduce : normal;
            String name = "cells." + i;
            Layer pre0 = prevReduction ? new FactorizedReduce(net, name + ".pre0", cPrevPrev, cCur, true)
                    : Ops.reluConvBn(net, name + ".pre0", cPrevPrev, cCur, true);
            Layer pre1 = Ops.reluConvBn(net, name + ".pre1", cPrev, cCur, true);
            Edge[][] nodeEdges = new Edge[4][2];
            for (int j = 0; j < 8; j++) {
                int input = spec.inputs()[j];
                int stride = reduction && input < 2 ? 2 : 1;
                Layer op = Ops.create(net, name + ".op" + j, spec.ops()[j], cCur, stride, true, false);
                nodeEdges[j / 2][j % 2] = new FixedEdge(net, op, input, dropPath);
            }
            cells[i] = new Cell(net, pre0, pre1, nodeEdges, spec.concat(), cCur, reduction);
            prevReduction = reduction;
            cPrevPrev = cPrev;
            cPrev = cells[i].outChannels();
            if (config.auxiliary() && i == config.auxiliaryCell()) auxHead = new AuxiliaryHead(net, cPrev, side, config.classes());
        }
        aux = auxHead;
        trunk = new CellNetwork(net, stemConv, stemBn, cells, new Linear(net, "classifier", cPrev, config.classes(), true));
        trunk.collectParams(params);
        trunk.collectBuffers(buffers);
        if (aux != null) { aux.collectParams(auxParams); aux.collectBuffers(buffers); }
    }

    public EvalNet(Backend backend, EvalNetConfig config, Genotype genotype, int imageSide, Rng initRng) {
        this(backend, config, CellSpec.of(genotype, CellType.NORMAL), CellSpec.of(genotype, CellType.REDUCE), imageSide, initRng);
    }

    public EvalNetConfig config() { return config; }
    public Backend backend() { return net.backend(); }

    /** All trainable parameters, the auxiliary head's included. */
    public List<Param> params() {
        List<Param> all = new ArrayList<>(params);
        all.addAll(auxParams);
        return all;
    }

    public List<NamedTensor> buffers() { return buffers; }

    /** Parameter count as DARTS reports it (auxiliary head excluded). */
    public long parameterCount() { return count(params); }

    public long auxiliaryParameterCount() { return count(auxParams); }

    private static long count(List<Param> ps) {
        long n = 0;
        for (Param p : ps) n += p.size();
        return n;
    }

    public void train() { net.setTraining(true); }
    public void eval() { net.setTraining(false); }

    public void setDropPathProbability(float p) { dropPath.setProbability(p); }

    /** The drop-path random stream (checkpointed with the run). */
    public Rng dropPathRng() { return dropPath.rng(); }

    public Tensor forward(Tensor x) {
        InputChecks.image(x, config.inChannels());
        auxLogits = null;
        return trunk.forward(x, i -> {
            if (aux != null && net.training() && i == config.auxiliaryCell()) auxLogits = aux.forward(trunk.cellOut(i));
        });
    }

    /** Auxiliary logits of the last training forward, or null (no head, or eval mode). */
    public Tensor auxLogits() { return auxLogits; }

    /** Backward from the main logits' gradient and, when the head ran, the auxiliary logits' gradient. */
    public void backward(Tensor dlogits, Tensor dauxLogits) {
        trunk.backward(dlogits, (i, dOut) -> {
            if (aux != null && auxLogits != null && dauxLogits != null && i == config.auxiliaryCell()) aux.backward(dauxLogits, dOut);
        });
    }

    public void zeroGrad() { for (Param p : params()) net.k().fill(p.grad(), 0f); }

    public void release() {
        trunk.release();
        if (aux != null) aux.release();
        auxLogits = null;
    }
}
