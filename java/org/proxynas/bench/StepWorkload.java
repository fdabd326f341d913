package org.proxynas.bench;

import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.Relaxation;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

/**
 * The peer's workload for one (mode, phase) on a fresh supernet: random batches preallocated on the backend
 * (randn images, uniform labels) that the steps rotate through, and the step itself.
 *
 * <p>A training step is zero-grad, forward, cross-entropy, backward and SGD (lr 0.025, momentum 0.9, wd 3e-4). In
 * mixture mode it also forms dL/dalpha from the mixture-weight gradients, as the peer's backward does with alphas
 * that require grad. In single-path mode no gradient reaches alpha through the supernet (PVLL scores paths with
 * the regressor), so the peer's one extra dot product per edge has no counterpart here. An evaluation step is an
 * eval-mode forward pass. An alpha step is DartsSearch's: forward, cross-entropy and a backward in the
 * architecture mode (mixture-weight gradients, no weight gradient), then dL/dalpha; no weight update.
 */
final class StepWorkload {
    private final SuperNet net;
    private final Backend backend;
    private final BenchPhase phase;
    private final Tensor[] images, labels;
    private final Tensor dlogits;
    private final Sgd sgd;
    private final RelaxedArch mixture;
    private final double[] mixtureGrad = new double[ArchParams.SIZE];
    private double[] alphaGrad;
    private int next;

    StepWorkload(Backend backend, BenchConfig cfg, BenchMode mode, BenchPhase phase) {
        this.backend = backend;
        this.phase = phase;
        Rng rng = new Rng(cfg.seed());
        net = new SuperNet(backend, config(cfg), rng);
        // softmax(alpha) is the noise-free relaxation at temperature 1; its backward is the softmax Jacobian.
        mixture = new Relaxation(1.0).relax(ArchParams.init(rng).toDoubles(), new double[ArchParams.SIZE], null);
        if (mode == BenchMode.SINGLE) net.setPath(SampledPath.TORCH_PEER_SEED0);
        else net.setMixture(weights(CellType.NORMAL), weights(CellType.REDUCE));
        switch (phase) {
            case TRAIN_STEP -> net.train();
            case EVAL_FORWARD -> net.eval();
            case ALPHA_STEP -> net.architectureOnly();
        }

        int n = cfg.batchFor(phase), hw = cfg.imageSize();
        Rng data = new Rng(cfg.seed() + 1);
        images = new Tensor[cfg.batchesToRotate()];
        labels = new Tensor[cfg.batchesToRotate()];
        for (int b = 0; b < images.length; b++) {
            float[] x = new float[n * BenchConfig.IN_CHANNELS * hw * hw];
            for (int i = 0; i < x.length; i++) x[i] = (float) data.nextGaussian();
            float[] y = new float[n];
            for (int i = 0; i < n; i++) y[i] = data.nextInt(BenchConfig.CLASSES);
            images[b] = backend.fromHost(x, n, BenchConfig.IN_CHANNELS, hw, hw);
            labels[b] = backend.fromHost(y, n);
        }
        dlogits = backend.allocate(n, BenchConfig.CLASSES);
        sgd = phase == BenchPhase.TRAIN_STEP ? new Sgd(net.params(), BenchConfig.MOMENTUM, BenchConfig.WEIGHT_DECAY) : null;
        backend.synchronize();
    }

    static SuperNetConfig config(BenchConfig cfg) {
        return new SuperNetConfig(cfg.channels(), cfg.layers(), BenchConfig.CLASSES, BenchConfig.IN_CHANNELS, 3);
    }

    long parameterCount() { return net.parameterCount(); }

    /** The supernet the steps run on (tests read its weights). */
    SuperNet net() { return net; }

    /** Queues one step on the next batch; the caller waits for it (device timer or synchronize). */
    void step() {
        int b = next;
        next = (next + 1) % images.length;
        if (phase == BenchPhase.EVAL_FORWARD) {
            net.forward(images[b]);
            return;
        }
        if (phase == BenchPhase.ALPHA_STEP) net.zeroMixtureGrad(); else net.zeroGrad();
        Tensor logits = net.forward(images[b]);
        backend.kernels().softmaxCrossEntropy(logits, labels[b], dlogits, 1f);
        net.backward(dlogits);
        if (!net.singlePath()) formAlphaGradient();
        if (sgd != null) sgd.step(BenchConfig.LR);
    }

    /** dL/dalpha from the mixture-weight gradients through softmax, as DartsSearch's alpha step forms it. */
    private void formAlphaGradient() {
        for (CellType cell : CellType.values()) {
            double[][] gw = net.mixtureGrad(cell == CellType.REDUCE);
            for (int e = 0; e < gw.length; e++) {
                for (int k = 0; k < gw[e].length; k++) mixtureGrad[ArchParams.index(cell, e, k)] = gw[e][k];
            }
        }
        alphaGrad = mixture.backward(mixtureGrad);
    }

    private float[][] weights(CellType cell) {
        float[][] w = new float[ArchParams.ROWS][ArchParams.COLS];
        for (int e = 0; e < w.length; e++) {
            for (int k = 0; k < w[e].length; k++) w[e][k] = (float) mixture.prob(cell, e, k);
        }
        return w;
    }

    /** The last step's dL/dalpha (mixture training and alpha steps only; null before one ran). */
    double[] lastAlphaGradient() { return alphaGrad; }
}
