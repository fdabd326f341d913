package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * An evaluation-network edge: one op, and drop-path in training (a per-sample Bernoulli mask scaled by
 * 1/keep, as DARTS), never on identity edges.
 */
final class FixedEdge implements Edge {
    private final Net net;
    private final Layer op;
    private final int input;
    private final boolean identity;
    private final DropPath dropPath;
    private Tensor opOut, scaled;
    private float[] scales;

    FixedEdge(Net net, Layer op, int input, DropPath dropPath) {
        this.net = net;
        this.op = op;
        this.input = input;
        this.identity = op instanceof Identity;
        this.dropPath = dropPath;
    }

    @Override public int input() { return input; }

    @Override public void forward(Tensor x, NodeTerms terms) {
        opOut = op.forward(x);
        scales = null;
        Tensor result = opOut;
        if (net.training() && !identity && dropPath.probability() > 0) {
            scales = dropPath.drawScales(x.n());
            scaled = net.ws().take(opOut.shape());
            net.k().scaleSamples(opOut, scales, scaled, false);
            result = scaled;
        }
        terms.add(result, 1f);
    }

    @Override public void backward(Tensor dnode, Tensor dx) {
        if (scales == null) {
            op.backward(dnode, dx, true);
            return;
        }
        Tensor dop = net.ws().take(dnode.shape());
        net.k().scaleSamples(dnode, scales, dop, false);
        op.backward(dop, dx, true);
        net.ws().give(dop);
    }

    @Override public void collectParams(List<Param> out) { op.collectParams(out); }

    @Override public void collectBuffers(List<NamedTensor> out) { op.collectBuffers(out); }

    @Override public void release() {
        op.release();
        net.ws().give(scaled);
        scaled = null;
        opOut = null;
    }

    /** The network-wide drop-path probability and its random stream. */
    static final class DropPath {
        private final Rng rng;
        private float probability;

        DropPath(Rng rng) { this.rng = rng; }

        float probability() { return probability; }

        void setProbability(float p) {
            if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("drop-path probability must be in [0, 1), got " + p);
            probability = p;
        }

        float[] drawScales(int n) {
            float keep = 1 - probability;
            float[] s = new float[n];
            for (int i = 0; i < n; i++) s[i] = rng.nextDouble() < keep ? 1f / keep : 0f;
            return s;
        }

        Rng rng() { return rng; }
    }
}
