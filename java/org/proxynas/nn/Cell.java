package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * A DARTS cell: preprocess the two inputs, compute 4 intermediate nodes as sums over their edges, concat the
 * chosen nodes. The edges decide what runs (mixed ops in the supernet, one op each in an evaluation network).
 */
final class Cell {
    private final Net net;
    private final Layer pre0, pre1;
    private final Edge[][] nodeEdges;
    private final int[] concat;
    private final int c;
    final boolean reduction;
    private final Tensor[] states;
    private Tensor out;

    Cell(Net net, Layer pre0, Layer pre1, Edge[][] nodeEdges, int[] concat, int c, boolean reduction) {
        this.net = net;
        this.pre0 = pre0;
        this.pre1 = pre1;
        this.nodeEdges = nodeEdges;
        this.concat = concat;
        this.c = c;
        this.reduction = reduction;
        this.states = new Tensor[2 + nodeEdges.length];
    }

    int outChannels() { return concat.length * c; }

    Tensor forward(Tensor s0in, Tensor s1in) {
        states[0] = pre0.forward(s0in);
        states[1] = pre1.forward(s1in);
        int n = states[1].n();
        int h = reduction ? states[1].h() / 2 : states[1].h();
        int w = reduction ? states[1].w() / 2 : states[1].w();
        NodeTerms terms = new NodeTerms();
        for (int i = 0; i < nodeEdges.length; i++) {
            terms.clear();
            for (Edge e : nodeEdges[i]) e.forward(states[e.input()], terms);
            Tensor node = net.ws().take(n, c, h, w);
            terms.sumInto(net.k(), node);
            if (!net.keepsActivations()) for (Edge e : nodeEdges[i]) e.release();
            states[2 + i] = node;
        }
        out = net.ws().take(n, outChannels(), h, w);
        for (int j = 0; j < concat.length; j++) net.k().copyChannels(states[concat[j]], 0, out, j * c, c, false);
        if (!net.keepsActivations()) releaseStates();
        return out;
    }

    /** Adds the gradients of the two cell inputs to ds0in and ds1in. */
    void backward(Tensor dout, Tensor ds0in, Tensor ds1in) {
        Tensor[] dstates = new Tensor[states.length];
        for (int j = 0; j < states.length; j++) dstates[j] = net.ws().takeZeroed(states[j].shape());
        for (int j = 0; j < concat.length; j++) net.k().copyChannels(dout, j * c, dstates[concat[j]], 0, c, true);
        for (int i = nodeEdges.length - 1; i >= 0; i--) {
            for (Edge e : nodeEdges[i]) e.backward(dstates[2 + i], dstates[e.input()]);
        }
        pre1.backward(dstates[1], ds1in, true);
        pre0.backward(dstates[0], ds0in, true);
        for (Tensor t : dstates) net.ws().give(t);
    }

    void collectParams(List<Param> o) {
        pre0.collectParams(o);
        pre1.collectParams(o);
        for (Edge[] es : nodeEdges) for (Edge e : es) e.collectParams(o);
    }

    void collectBuffers(List<NamedTensor> o) {
        pre0.collectBuffers(o);
        pre1.collectBuffers(o);
        for (Edge[] es : nodeEdges) for (Edge e : es) e.collectBuffers(o);
    }

    private void releaseStates() {
        pre0.release();
        pre1.release();
        states[0] = states[1] = null;
        for (int i = 2; i < states.length; i++) { net.ws().give(states[i]); states[i] = null; }
    }

    void release() {
        if (states[0] != null) {
            for (Edge[] es : nodeEdges) for (Edge e : es) e.release();
            releaseStates();
        }
        net.ws().give(out);
        out = null;
    }
}
