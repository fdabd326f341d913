package org.proxynas.proxy;

import org.proxynas.nn.Param;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The graph autoencoder of docs/method.md#gae ({@code module/estimator}): a GIN encoder and an inner-product decoder,
 * shared by the normal and the reduction graphs. Batched over B graphs of 17 nodes; every BatchNorm1d normalises
 * over all B·17 node rows.
 * <pre>
 *   H⁰ = X;  Hˡ⁺¹ = ReLU(BN(Linear(ReLU(BN(Linear((1+εˡ)·Hˡ + Â·Hˡ))))))     l = 0..L−1, ε learnable (init 0)
 *   Z = Linear(hidden → latent)(Hᴸ)
 *   decoder: Z' = Dropout(Z);  X̂ = softmax(Linear(latent → 11)(Z'));  Â_rec = sigmoid(Z'Z'ᵀ)
 *   L_rec = CE(X̂ logits, argmax X)  +  BCE(Â_rec, A) over the strict upper triangle
 * </pre>
 * [I] choices: the op reconstruction is softmax cross-entropy against the one-hot class (the reference scripts use
 * MSE or BCE on the softmax output; CE is the consistent loss for a softmax over one-hot targets, docs/method.md#deviations), and the
 * adjacency loss compares only the strict upper triangle, where the directed target lives (docs/method.md#deviations). Both terms are
 * means (over B·17 node rows and over B·136 entries) with weight 1.
 *
 * <p>Activations of a forward pass live in an {@link EncoderPass}, so two passes (normal and reduce) can be alive at
 * once and both backpropagated into the shared parameters.
 */
final class GaeModel {
    static final float BN_MOMENTUM = 0.1f, BN_EPS = 1e-5f;
    static final String FILE_KIND = "gae-autoencoder";

    /** How the encoder's BatchNorms run in a pass. */
    enum BnUse {
        /** Batch statistics; running statistics updated (training). */
        TRAIN,
        /** Batch statistics; running statistics untouched (the reference's train-mode α gradient, side-effect free). */
        BATCH_STATS,
        /** Running statistics (inference). */
        EVAL
    }

    private final Backend backend;
    private final Kernels k;
    final int hidden, latent, layers;
    final float dropout;
    final ParamSet params;
    private final Layer[] gin;
    private final Param zW, zB, opsW, opsB;
    private final Map<Integer, EncoderPass> passes = new HashMap<>();
    private final Map<Integer, DecoderPass> decoders = new HashMap<>();
    private final Map<Integer, Tensor> masks = new HashMap<>();

    /** One GIN layer's parameters and buffers. */
    private record Layer(Param eps, Param w1, Param b1, Param g1, Param be1,
                         Tensor rm1, Tensor rv1, Param w2, Param b2, Param g2, Param be2,
                         Tensor rm2, Tensor rv2, int in) {}

    GaeModel(Backend backend, Rng initRng, GaeConfig config) {
        this.backend = backend;
        this.k = backend.kernels();
        this.hidden = config.hidden();
        this.latent = config.latent();
        this.layers = config.ginLayers();
        this.dropout = (float) config.dropout();
        params = new ParamSet(backend);
        gin = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? CellGraphs.FEATURES : hidden;
            String p = "encoder.gin." + l + ".";
            Param eps = params.add(Param.constant(backend, p + "eps", 0f, 1));
            Param w1 = params.add(Param.uniform(backend, initRng, p + "mlp.0.weight", 1 / Math.sqrt(in), hidden, in));
            Param b1 = params.add(Param.uniform(backend, initRng, p + "mlp.0.bias", 1 / Math.sqrt(in), hidden));
            Param g1 = params.add(Param.constant(backend, p + "mlp.1.weight", 1f, hidden));
            Param be1 = params.add(Param.constant(backend, p + "mlp.1.bias", 0f, hidden));
            Tensor rm1 = params.addBuffer(p + "mlp.1.running_mean", backend.allocate(hidden));
            Tensor rv1 = params.addBuffer(p + "mlp.1.running_var", ones(hidden));
            Param w2 = params.add(Param.uniform(backend, initRng, p + "mlp.3.weight", 1 / Math.sqrt(hidden), hidden, hidden));
            Param b2 = params.add(Param.uniform(backend, initRng, p + "mlp.3.bias", 1 / Math.sqrt(hidden), hidden));
            Param g2 = params.add(Param.constant(backend, p + "bn.weight", 1f, hidden));
            Param be2 = params.add(Param.constant(backend, p + "bn.bias", 0f, hidden));
            Tensor rm2 = params.addBuffer(p + "bn.running_mean", backend.allocate(hidden));
            Tensor rv2 = params.addBuffer(p + "bn.running_var", ones(hidden));
            gin[l] = new Layer(eps, w1, b1, g1, be1, rm1, rv1, w2, b2, g2, be2, rm2, rv2, in);
        }
        zW = params.add(Param.uniform(backend, initRng, "encoder.fc.weight", 1 / Math.sqrt(hidden), latent, hidden));
        zB = params.add(Param.uniform(backend, initRng, "encoder.fc.bias", 1 / Math.sqrt(hidden), latent));
        opsW = params.add(Param.uniform(backend, initRng, "decoder.ops.weight", 1 / Math.sqrt(latent),
                CellGraphs.FEATURES, latent));
        opsB = params.add(Param.uniform(backend, initRng, "decoder.ops.bias", 1 / Math.sqrt(latent), CellGraphs.FEATURES));
    }

    /** The decoder's op classifier (weight [11, latent], bias [11]), for tests. */
    Param[] decoderParams() { return new Param[] {opsW, opsB}; }

    private Tensor ones(int n) {
        Tensor t = backend.allocate(n);
        k.fill(t, 1f);
        return t;
    }

    /** Configuration fields a pretrained file must match. */
    Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gae.hidden", Integer.toString(hidden));
        m.put("gae.latent", Integer.toString(latent));
        m.put("gae.layers", Integer.toString(layers));
        return m;
    }

    void checkMeta(java.nio.file.Path file, ParamFile.Contents c) throws ProxyFileException {
        for (Map.Entry<String, String> e : meta().entrySet()) ParamFile.expectMeta(file, c, e.getKey(), e.getValue());
    }

    // ---- graphs on the device ------------------------------------------------------------------------------

    /** One batch of cell graphs of one cell type on the device. */
    record Graphs(int batch, Tensor features, Tensor labels, Tensor adjacency, Tensor adjacencyHat) {}

    Graphs upload(CellGraphs.Host h) {
        int b = h.batch(), n = CellGraphs.NODES;
        return new Graphs(b, backend.fromHost(h.features(), b * n, CellGraphs.FEATURES), backend.fromHost(h.labels(), b * n),
                backend.fromHost(h.adjacency(), b, n, n), backend.fromHost(h.adjacencyHat(), b, n, n));
    }

    // ---- encoder --------------------------------------------------------------------------------------------

    /** Activations of one encoder pass over B graphs (and the gradient buffers of its backward). */
    final class EncoderPass {
        final int batch, rows;
        final Tensor[] m, u, v, r, p, q, h, sm1, si1, sm2, si2;
        final float[] onePlusEps = new float[layers];
        final Tensor z;
        final Tensor dh, dq, dp, dr, dv, du, dm, dm0, dhIn;
        Graphs graphs;
        BnUse bn;

        EncoderPass(int batch) {
            this.batch = batch;
            this.rows = batch * CellGraphs.NODES;
            m = new Tensor[layers]; u = new Tensor[layers]; v = new Tensor[layers]; r = new Tensor[layers];
            p = new Tensor[layers]; q = new Tensor[layers]; h = new Tensor[layers];
            sm1 = new Tensor[layers]; si1 = new Tensor[layers]; sm2 = new Tensor[layers]; si2 = new Tensor[layers];
            for (int l = 0; l < layers; l++) {
                m[l] = backend.allocate(rows, gin[l].in());
                u[l] = backend.allocate(rows, hidden);
                v[l] = backend.allocate(rows, hidden);
                r[l] = backend.allocate(rows, hidden);
                p[l] = backend.allocate(rows, hidden);
                q[l] = backend.allocate(rows, hidden);
                h[l] = backend.allocate(rows, hidden);
                sm1[l] = backend.allocate(hidden); si1[l] = backend.allocate(hidden);
                sm2[l] = backend.allocate(hidden); si2[l] = backend.allocate(hidden);
            }
            z = backend.allocate(rows, latent);
            dh = backend.allocate(rows, hidden);
            dq = backend.allocate(rows, hidden);
            dp = backend.allocate(rows, hidden);
            dr = backend.allocate(rows, hidden);
            dv = backend.allocate(rows, hidden);
            du = backend.allocate(rows, hidden);
            dm = backend.allocate(rows, hidden);
            dm0 = backend.allocate(rows, CellGraphs.FEATURES);
            dhIn = backend.allocate(rows, hidden);
        }

        Tensor input(int l) { return l == 0 ? graphs.features() : h[l - 1]; }
    }

    /** A pass buffer for (batch, slot); slot separates passes that must coexist (normal / reduce). */
    EncoderPass pass(int batch, int slot) {
        int key = batch * 4 + slot;
        if (passes.size() > 16 && !passes.containsKey(key)) passes.clear();
        return passes.computeIfAbsent(key, kk -> new EncoderPass(batch));
    }

    EncoderPass encode(Graphs g, int slot, BnUse bn) {
        EncoderPass ps = pass(g.batch(), slot);
        ps.graphs = g;
        ps.bn = bn;
        int n = CellGraphs.NODES;
        for (int l = 0; l < layers; l++) {
            Layer L = gin[l];
            Tensor in = ps.input(l);
            ps.onePlusEps[l] = 1f + L.eps().value().toHost()[0];
            // M = Â·H + (1+ε)·H
            k.batchedMatMul(g.adjacencyHat(), in.reshape(g.batch(), n, L.in()), ps.m[l].reshape(g.batch(), n, L.in()),
                    false, false, false);
            k.axpy(ps.onePlusEps[l], in, ps.m[l]);
            k.linearForward(ps.m[l], L.w1().value(), L.b1().value(), ps.u[l]);
            bnForward(ps.u[l], L.g1(), L.be1(), L.rm1(), L.rv1(), ps.v[l], ps.sm1[l], ps.si1[l], bn);
            k.relu(ps.v[l], ps.r[l]);
            k.linearForward(ps.r[l], L.w2().value(), L.b2().value(), ps.p[l]);
            bnForward(ps.p[l], L.g2(), L.be2(), L.rm2(), L.rv2(), ps.q[l], ps.sm2[l], ps.si2[l], bn);
            k.relu(ps.q[l], ps.h[l]);
        }
        k.linearForward(ps.h[layers - 1], zW.value(), zB.value(), ps.z);
        return ps;
    }

    private void bnForward(Tensor x, Param gamma, Param beta, Tensor rm, Tensor rv, Tensor y, Tensor sm,
                           Tensor si, BnUse bn) {
        switch (bn) {
            case TRAIN -> k.batchNormTrainForward(x, gamma.value(), beta.value(), rm, rv, BN_MOMENTUM, BN_EPS, y, sm, si);
            case BATCH_STATS -> k.batchNormTrainForward(x, gamma.value(), beta.value(), null, null, BN_MOMENTUM, BN_EPS, y, sm, si);
            case EVAL -> k.batchNormEvalForward(x, gamma.value(), beta.value(), rm, rv, BN_EPS, y);
        }
    }

    private void bnBackward(Tensor dy, Tensor x, Param gamma, Param beta, Tensor rv, Tensor sm, Tensor si,
                            Tensor dx, BnUse bn, boolean paramGrads) {
        if (bn == BnUse.EVAL) {
            if (paramGrads) throw new IllegalStateException("parameter gradients of an eval-mode pass are not supported");
            k.batchNormEvalBackward(dy, gamma.value(), rv, BN_EPS, dx, false);
        } else {
            k.batchNormBackward(dy, x, gamma.value(), sm, si, dx, paramGrads ? gamma.grad() : null,
                    paramGrads ? beta.grad() : null, false);
        }
    }

    /**
     * Backward of a pass from dZ: accumulates parameter gradients when asked, and dJ/dÂ into {@code dAdjHat}
     * ([B,17,17], accumulated) when it is not null. dZ is read only.
     */
    void encodeBackward(EncoderPass ps, Tensor dZ, boolean paramGrads, Tensor dAdjHat) {
        int n = CellGraphs.NODES, b = ps.batch;
        Tensor hLast = ps.h[layers - 1];
        if (paramGrads) k.linearBackwardParams(hLast, dZ, zW.grad(), zB.grad());
        k.linearBackwardData(dZ, zW.value(), ps.dh, false);
        for (int l = layers - 1; l >= 0; l--) {
            Layer L = gin[l];
            k.reluBackward(ps.h[l], ps.dh, ps.dq, false);
            bnBackward(ps.dq, ps.p[l], L.g2(), L.be2(), L.rv2(), ps.sm2[l], ps.si2[l], ps.dp, ps.bn, paramGrads);
            if (paramGrads) k.linearBackwardParams(ps.r[l], ps.dp, L.w2().grad(), L.b2().grad());
            k.linearBackwardData(ps.dp, L.w2().value(), ps.dr, false);
            k.reluBackward(ps.r[l], ps.dr, ps.dv, false);
            bnBackward(ps.dv, ps.u[l], L.g1(), L.be1(), L.rv1(), ps.sm1[l], ps.si1[l], ps.du, ps.bn, paramGrads);
            if (paramGrads) k.linearBackwardParams(ps.m[l], ps.du, L.w1().grad(), L.b1().grad());
            if (l == 0 && !paramGrads && dAdjHat == null) break; // nothing below layer 0 is needed
            Tensor dm = l == 0 ? ps.dm0 : ps.dm;
            k.linearBackwardData(ps.du, L.w1().value(), dm, false);
            Tensor in = ps.input(l);
            if (paramGrads) {
                // dε = Σ dM ⊙ H (a host read-back of one scalar)
                float[] ge = L.eps().grad().toHost();
                ge[0] += (float) k.dot(dm, in);
                L.eps().grad().fromHost(ge);
            }
            if (dAdjHat != null) {
                k.batchedMatMul(dm.reshape(b, n, L.in()), in.reshape(b, n, L.in()), dAdjHat, false, true, true);
            }
            if (l > 0) {
                // dH = Âᵀ·dM + (1+ε)·dM
                k.batchedMatMul(ps.graphs.adjacencyHat(), dm.reshape(b, n, hidden), ps.dhIn.reshape(b, n, hidden),
                        true, false, false);
                k.axpy(ps.onePlusEps[l], dm, ps.dhIn);
                backend.copy(ps.dhIn, ps.dh);
            }
        }
    }

    // ---- decoder --------------------------------------------------------------------------------------------

    /** Reconstruction loss terms (means). */
    record Recon(double ops, double adjacency) {
        double total() { return ops + adjacency; }
    }

    private final class DecoderPass {
        final Tensor zd, mask, logits, dlogits, s, pr, pm, dpm, dzd;
        DecoderPass(int batch) {
            int rows = batch * CellGraphs.NODES, n = CellGraphs.NODES;
            zd = backend.allocate(rows, latent);
            mask = backend.allocate(rows, latent);
            logits = backend.allocate(rows, CellGraphs.FEATURES);
            dlogits = backend.allocate(rows, CellGraphs.FEATURES);
            s = backend.allocate(batch, n, n);
            pr = backend.allocate(batch, n, n);
            pm = backend.allocate(batch, n, n);
            dpm = backend.allocate(batch, n, n);
            dzd = backend.allocate(rows, latent);
        }
    }

    private Tensor upperMask(int batch) {
        if (masks.size() > 16 && !masks.containsKey(batch)) masks.clear();
        return masks.computeIfAbsent(batch, b -> backend.fromHost(CellGraphs.upperMask(b), b, CellGraphs.NODES, CellGraphs.NODES));
    }

    /**
     * L_rec of a pass. With {@code dZ} not null, accumulates gradScale·dL_rec/dZ into it and (when
     * {@code paramGrads}) the decoder's parameter gradients. Dropout (p = config) uses the counter-based mask of
     * {@code seed}; {@code withDropout = false} is evaluation.
     */
    Recon reconstruct(EncoderPass ps, boolean withDropout, long seed, float gradScale, Tensor dZ, boolean paramGrads) {
        int b = ps.batch, n = CellGraphs.NODES;
        if (decoders.size() > 16 && !decoders.containsKey(b)) decoders.clear();
        DecoderPass d = decoders.computeIfAbsent(b, DecoderPass::new);
        if (withDropout && dropout > 0f) {
            k.dropout(ps.z, d.zd, d.mask, dropout, seed);
        } else {
            backend.copy(ps.z, d.zd);
            k.fill(d.mask, 1f);
        }
        boolean grad = dZ != null;
        k.linearForward(d.zd, opsW.value(), opsB.value(), d.logits);
        double ce = k.softmaxCrossEntropy(d.logits, ps.graphs.labels(), grad ? d.dlogits : null, gradScale).loss();
        Tensor zd3 = d.zd.reshape(b, n, latent);
        k.batchedMatMul(zd3, zd3, d.s, false, true, false);
        k.sigmoid(d.s, d.pr);
        Tensor mask = upperMask(b);
        k.mul(d.pr, mask, d.pm, false);
        // BCE over all B·289 entries, where masked ones (p = 0, t = 0) add exactly 0 loss and 0 gradient; rescale
        // the mean to the B·136 compared entries.
        float full = (float) (n * n) / CellGraphs.UPPER;
        double bce = full * k.bceLoss(d.pm, ps.graphs.adjacency(), grad ? d.dpm : null, gradScale * full);
        if (grad) {
            k.mul(d.dpm, mask, d.dpm, false);
            k.sigmoidBackward(d.pr, d.dpm, d.s, false); // d.s := dS
            Tensor dzd3 = d.dzd.reshape(b, n, latent);
            k.batchedMatMul(d.s, zd3, dzd3, false, false, false);
            k.batchedMatMul(d.s, zd3, dzd3, true, false, true);
            k.linearBackwardData(d.dlogits, opsW.value(), d.dzd, true);
            if (paramGrads) k.linearBackwardParams(d.zd, d.dlogits, opsW.grad(), opsB.grad());
            k.mul(d.dzd, d.mask, dZ, true);
        }
        return new Recon(ce, bce);
    }
}
