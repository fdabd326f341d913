package org.proxynas.search;

import org.proxynas.data.AugmentOptions;
import org.proxynas.data.Batch;
import org.proxynas.data.BatchLoader;
import org.proxynas.data.LoaderState;
import org.proxynas.nn.SuperNet;
import org.proxynas.proxy.AdamConfig;
import org.proxynas.proxy.ArchitectureStep;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.ProgressBar;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.CosineSchedule;
import org.proxynas.train.DivergedException;

import java.util.Map;

/**
 * The first-order DARTS baseline in the same harness: the supernet in mixture mode; before every weight step on a
 * training batch, one Adam step on alpha (lr --alpha-lr, betas 0.5/0.999, L2 --alpha-weight-decay) from the
 * validation loss of a validation batch. Budget: as many weight steps as PVLL trains (2P + E_s samples).
 */
public final class DartsSearch extends SearchMethod {
    private final Backend backend;
    private final SupernetRunner supernet;
    private final SuperNet net;
    private final ArchParams alpha;
    private final ArchitectureStep adam;
    private final BatchLoader alphaLoader;
    private final Tensor images, labels, dlogits;
    private int index;

    DartsSearch(SearchSetup setup) {
        super(setup.config(), setup.context(), setup.runner());
        this.backend = setup.backend();
        this.supernet = setup.runner();
        this.net = supernet.net();
        Rng root = setup.rootRng();
        this.alpha = ArchParams.init(root.split());
        this.adam = new ArchitectureStep(new AdamConfig(cfg.alpha().alphaLr(), 0.5, 0.999, 1e-8, cfg.alpha().alphaWeightDecay()));
        var valData = supernet.validationLoader().data();
        // Small validation subsets still give full alpha batches (batch norm needs a fixed batch shape here).
        int alphaBatch = Math.min(cfg.data().batch(), valData.set().size());
        this.alphaLoader = BatchLoader.train(valData, supernet.validationLoader().normalization(), alphaBatch,
                new AugmentOptions(valData.set().height() >= 32 ? 4 : 2, true, 0), true, root.split());
        var set = valData.set();
        this.images = backend.allocate(alphaBatch, set.channels(), set.height(), set.width());
        this.labels = backend.allocate(alphaBatch);
        this.dlogits = backend.allocate(alphaBatch, set.classes());
    }

    private int iterations() { return 2 * cfg.schedule().warmupSamples() + cfg.schedule().iterations(); }

    @Override
    protected void runPhases() {
        CosineSchedule schedule = new CosineSchedule(cfg.supernet().lr(), cfg.supernet().lrMin(), iterations());
        ProgressBar bar = ProgressBar.stderr("darts (" + iterations() + " iterations, mixture mode)", iterations(), "iter");
        bar.update(index);
        while (index < iterations()) {
            float lr = schedule.at(index);
            setMixture();
            SupernetRunner.TrainStats t = supernet.trainSteps(supernet.batchesPerSample(), lr, null, this::alphaStep);
            setMixture();
            LossStats v = supernet.validateCurrent();
            Map<String, Object> rec = MetricsLog.record("phase", "search", "iter", index, "train_loss", t.loss(), "train_acc", t.accuracy(),
                    "val_loss", v.loss(), "val_acc", v.accuracy(), "lr", lr);
            addArchitecture(rec, alpha, null);
            rec.put("elapsed_s", ctx.elapsed());
            ctx.metric(rec);
            index++;
            bar.update(index);
            checkpointMaybe(index == iterations());
        }
        finish(alpha);
    }

    private void setMixture() {
        net.setMixture(softmax(alpha.matrix(CellType.NORMAL)), softmax(alpha.matrix(CellType.REDUCE)));
    }

    /**
     * One alpha step from a validation batch: dL/dalpha = w * (dL/dw - sum_k w_k dL/dw_k) per edge. Its backward
     * computes no weight gradient (the weight step that follows zeroes them first).
     */
    private void alphaStep() {
        setMixture();
        if (!alphaLoader.hasNext()) alphaLoader.beginEpoch();
        Batch b = alphaLoader.next();
        alphaLoader.load(b, images, labels);
        net.architectureOnly();
        try {
            net.zeroMixtureGrad();
            LossStats s = backend.kernels().softmaxCrossEntropy(net.forward(images), labels, dlogits, 1f);
            if (!Double.isFinite(s.loss())) throw new DivergedException("DARTS validation loss is " + s.loss() + " at weight step " + runner.steps());
            net.backward(dlogits);
            net.release();
        } finally {
            net.train();
        }
        double[] grad = new double[ArchParams.SIZE];
        for (CellType cell : CellType.values()) {
            float[][] w = softmax(alpha.matrix(cell));
            double[][] gw = net.mixtureGrad(cell == CellType.REDUCE);
            for (int e = 0; e < w.length; e++) {
                double dot = 0;
                for (int k = 0; k < w[e].length; k++) dot += w[e][k] * gw[e][k];
                for (int k = 0; k < w[e].length; k++) grad[ArchParams.index(cell, e, k)] = w[e][k] * (gw[e][k] - dot);
            }
        }
        adam.apply(alpha, grad);
        setMixture();
    }

    static float[][] softmax(float[][] a) {
        float[][] w = new float[a.length][];
        for (int e = 0; e < a.length; e++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : a[e]) max = Math.max(max, v);
            double[] ex = new double[a[e].length];
            for (int k = 0; k < ex.length; k++) { ex[k] = Math.exp(a[e][k] - max); sum += ex[k]; }
            w[e] = new float[ex.length];
            for (int k = 0; k < ex.length; k++) w[e][k] = (float) (ex[k] / sum);
        }
        return w;
    }

    @Override
    protected void saveState(Checkpoint c) {
        c.header().put("index", index);
        c.put("alpha", alpha.flat().clone());
        ArchitectureStep.State s = adam.state();
        c.put("alpha_adam_m", s.m());
        c.put("alpha_adam_v", s.v());
        c.header().put("alpha_adam_step", s.step());
        c.header().set("alpha_loader", c.json().valueToTree(alphaLoader.state()));
    }

    @Override
    protected void loadState(Checkpoint c) {
        index = c.field("index").asInt();
        alpha.copyFrom(ArchParams.fromFlat(c.get("alpha", ArchParams.SIZE).clone()));
        adam.restore(new ArchitectureStep.State(c.get("alpha_adam_m", ArchParams.SIZE), c.get("alpha_adam_v", ArchParams.SIZE),
                c.field("alpha_adam_step").asInt()));
        try {
            alphaLoader.restore(c.json().treeToValue(c.field("alpha_loader"), LoaderState.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Checkpoint.CheckpointException("checkpoint field 'alpha_loader' is malformed: " + e.getOriginalMessage());
        }
    }
}
