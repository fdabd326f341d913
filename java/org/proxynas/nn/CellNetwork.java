package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The trunk both networks share: stem conv + BN, a chain of cells (each reading the outputs of the two cells
 * before it), global average pool and linear classifier, with the explicit backward through all of it.
 * Hooks let the evaluation network attach its auxiliary head to one cell's output.
 */
final class CellNetwork {
    private final Net net;
    private final Conv stemConv;
    private final BatchNorm stemBn;
    private final Cell[] cells;
    private final GlobalAvgPool gap;
    private final Linear classifier;
    private final Tensor[] cellOuts;
    private Tensor stemOut;

    CellNetwork(Net net, Conv stemConv, BatchNorm stemBn, Cell[] cells, Linear classifier) {
        this.net = net;
        this.stemConv = stemConv;
        this.stemBn = stemBn;
        this.cells = cells;
        this.gap = new GlobalAvgPool(net);
        this.classifier = classifier;
        this.cellOuts = new Tensor[cells.length];
    }

    /** Logits; afterCell(i) runs once cell i's output exists (cellOut(i)). */
    Tensor forward(Tensor x, IntConsumer afterCell) {
        release();
        stemOut = stemBn.forward(stemConv.forward(x));
        if (!net.keepsActivations()) stemConv.release();
        Tensor s0 = stemOut, s1 = stemOut;
        for (int i = 0; i < cells.length; i++) {
            cellOuts[i] = cells[i].forward(s0, s1);
            // Without a backward to come, cell i-2's output has had its last reader.
            if (!net.keepsActivations() && i >= 2) cells[i - 2].release();
            s0 = s1;
            s1 = cellOuts[i];
            afterCell.accept(i);
        }
        return classifier.forward(gap.forward(s1));
    }

    Tensor cellOut(int i) { return cellOuts[i]; }

    /** Parameter gradients from dlogits; beforeCell(i, dOut) may add to cell i's output gradient first. */
    void backward(Tensor dlogits, BiConsumer<Integer, Tensor> beforeCell) {
        if (!net.keepsActivations()) throw new IllegalStateException("backward needs a forward in training mode (this one kept nothing for it)");
        Tensor last = cellOuts[cells.length - 1];
        Tensor dpooled = net.ws().take(last.n(), last.c());
        classifier.backward(dlogits, dpooled, false);
        Tensor[] dcell = new Tensor[cells.length];
        for (int i = 0; i < cells.length; i++) dcell[i] = net.ws().takeZeroed(cellOuts[i].shape());
        Tensor dstem = net.ws().takeZeroed(stemOut.shape());
        gap.backward(dpooled, dcell[cells.length - 1], true);
        net.ws().give(dpooled);
        for (int i = cells.length - 1; i >= 0; i--) {
            beforeCell.accept(i, dcell[i]);
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

    /** Trunk parameters in PyTorch's order: stem, cells, classifier. */
    void collectParams(List<Param> out) {
        stemConv.collectParams(out);
        stemBn.collectParams(out);
        for (Cell cell : cells) cell.collectParams(out);
        classifier.collectParams(out);
    }

    void collectBuffers(List<NamedTensor> out) {
        stemBn.collectBuffers(out);
        for (Cell cell : cells) cell.collectBuffers(out);
    }

    void release() {
        stemConv.release();
        stemBn.release();
        for (Cell cell : cells) cell.release();
        java.util.Arrays.fill(cellOuts, null);
        gap.release();
        classifier.release();
        stemOut = null;
    }
}
