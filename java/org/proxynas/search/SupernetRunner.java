package org.proxynas.search;

import org.proxynas.data.AugmentOptions;
import org.proxynas.data.Batch;
import org.proxynas.data.BatchLoader;
import org.proxynas.data.DeviceImages;
import org.proxynas.data.ImageSet;
import org.proxynas.data.LoaderState;
import org.proxynas.data.Normalization;
import org.proxynas.nn.SuperNet;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.TensorState;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.StepKernels;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.DivergedException;
import org.proxynas.train.GradClip;
import org.proxynas.train.Sgd;

import java.util.function.IntConsumer;

/**
 * Trains and validates the shared supernet: the weight side of every search method. One "sample" of training is
 * a full epoch over the training split (the reference) or stepsPerSample mini-batches continuing through the
 * shuffled stream. Validation is the mean cross-entropy over the validation split (or its first valFraction) in
 * eval mode.
 *
 * <p>On a backend that offers {@link GraphCapture} (CUDA) the weight steps replay a captured graph
 * ({@link GraphedSupernetStep}): a single-path sample's steps, and the DARTS baseline's mixture steps (whose alpha
 * step runs eagerly between replays); the loss totals are then read once per sample, so a diverged step is reported
 * when its sample ends (the run stops there just the same, and the checkpoint on disk is the last good one).
 */
public final class SupernetRunner implements PathEvaluator {
    public record TrainStats(double loss, double accuracy, int images) {}

    private final Backend backend;
    private final SuperNet net;
    private final SearchConfig cfg;
    private final BatchLoader trainLoader, valLoader;
    private final Sgd sgd;
    private final Tensor images, labels, dlogits;
    /** Null where the backend offers no graph capture. */
    private GraphedSupernetStep graphStep;
    private int steps;

    public SupernetRunner(Backend backend, SuperNet net, ImageSet train, ImageSet valid, Normalization norm, SearchConfig cfg, Rng loaderRng) {
        this.backend = backend;
        this.net = net;
        this.cfg = cfg;
        int pad = train.height() >= 32 ? 4 : 2;
        this.trainLoader = BatchLoader.train(DeviceImages.upload(backend, train), norm, cfg.data().batch(),
                new AugmentOptions(pad, true, 0), true, loaderRng);
        this.valLoader = BatchLoader.eval(DeviceImages.upload(backend, valid), norm, cfg.data().evalBatch());
        this.sgd = new Sgd(net.params(), (float) cfg.supernet().momentum(), (float) cfg.supernet().weightDecay());
        this.images = backend.allocate(cfg.data().batch(), train.channels(), train.height(), train.width());
        this.labels = backend.allocate(cfg.data().batch());
        this.dlogits = backend.allocate(cfg.data().batch(), train.classes());
        this.graphStep = backend.graphCapture().map(g -> new GraphedSupernetStep(g, net, sgd, cfg, images, labels, dlogits, true)).orElse(null);
    }

    /**
     * On a backend with graph capture: false runs the graph step's launches eagerly on every step instead of capturing them (the
     * reference that replays are compared with; the eager step of {@link #trainSteps} reaches the same weights
     * through per-parameter launches, far slower under emulation).
     */
    void captureGraphs(boolean capture) {
        GraphCapture graphs = backend.graphCapture().orElseThrow(() -> new IllegalStateException(
                "graph capture needs a backend that offers it (CUDA), this runner is on " + backend.name()));
        graphStep.close();
        graphStep = new GraphedSupernetStep(graphs, net, sgd, cfg, images, labels, dlogits, capture);
    }

    /** Graphs captured so far (0 on a backend without graph capture). */
    public int graphCaptures() { return graphStep == null ? 0 : graphStep.captures(); }

    /** Steps run as a graph replay so far. */
    public int graphReplays() { return graphStep == null ? 0 : graphStep.replays(); }

    public SuperNet net() { return net; }
    public int batchesPerSample() { return cfg.schedule().stepsPerSample() > 0 ? cfg.schedule().stepsPerSample() : trainLoader.batchesPerEpoch(); }
    @Override public int trainImagesPerSample() { return batchesPerSample() * cfg.data().batch(); }
    @Override public int steps() { return steps; }

    private Batch nextBatch() {
        if (!trainLoader.hasNext()) trainLoader.beginEpoch();
        return trainLoader.next();
    }

    /** Trains the weights on one sampled path for one sample's worth of batches. */
    @Override public TrainStats trainPath(SampledPath path, float lr, IntConsumer progress) {
        net.setPath(path);
        if (graphStep != null) return trainGraphed(batchesPerSample(), lr, progress, null, () -> graphStep.step(path, lr));
        return trainSteps(batchesPerSample(), lr, progress, null);
    }

    /** n weight steps, each after beforeStep (nullable) and the loading of its batch, run by step. */
    private TrainStats trainGraphed(int n, float lr, IntConsumer progress, Runnable beforeStep, Runnable step) {
        net.train();
        int before = steps, seen = 0;
        for (int i = 0; i < n; i++) {
            if (beforeStep != null) beforeStep.run();
            Batch b = nextBatch();
            trainLoader.load(b, images, labels);
            step.run();
            steps++;
            seen += b.size();
            if (progress != null) progress.accept(seen);
        }
        net.release();
        StepKernels.Totals r = graphStep.drain();
        if (r.firstNonFinite() > 0) {
            throw new DivergedException("supernet training loss is not finite at weight step " + (before + r.firstNonFinite())
                    + " (learning rate " + lr + "); the run directory keeps the last good checkpoint; lower --lr");
        }
        return new TrainStats(r.lossSum() / r.count(), (double) r.correct() / r.count(), (int) r.count());
    }

    /**
     * Trains in whatever mode the supernet is set to for n batches. beforeStep (nullable) runs before each weight
     * step (the DARTS baseline uses it for its alpha step and to refresh the mixture weights). In mixture mode on a
     * backend with graph capture the weight steps replay a captured graph.
     */
    public TrainStats trainSteps(int n, float lr, IntConsumer progress, Runnable beforeStep) {
        if (graphStep != null && !net.singlePath()) return trainGraphed(n, lr, progress, beforeStep, () -> graphStep.mixtureStep(lr));
        net.train();
        double lossSum = 0;
        int correct = 0, seen = 0;
        for (int i = 0; i < n; i++) {
            if (beforeStep != null) beforeStep.run();
            Batch b = nextBatch();
            trainLoader.load(b, images, labels);
            net.zeroGrad();
            Tensor logits = net.forward(images);
            LossStats s = backend.kernels().softmaxCrossEntropy(logits, labels, dlogits, 1f);
            steps++;
            if (!Double.isFinite(s.loss())) {
                throw new DivergedException("supernet training loss is " + s.loss() + " at weight step " + steps + " (learning rate " + lr
                        + "); the run directory keeps the last good checkpoint; lower --lr");
            }
            net.backward(dlogits);
            GradClip.clip(net.params(), cfg.supernet().gradClip());
            sgd.step(lr);
            lossSum += s.loss() * s.count();
            correct += s.correct();
            seen += s.count();
            if (progress != null) progress.accept(seen);
        }
        net.release();
        return new TrainStats(lossSum / seen, (double) correct / seen, seen);
    }

    /** Validation loss and accuracy of a path on the validation split, in eval mode. */
    @Override public LossStats validate(SampledPath path) {
        net.setPath(path);
        return validateCurrent();
    }

    /** Validation of whatever mode the supernet is set to (BN batch statistics when the config asks for them). */
    public LossStats validateCurrent() {
        if (cfg.data().valBatchStats()) net.forwardOnly(); else net.eval();
        LossStats s = org.proxynas.train.Evaluator.evaluate(backend, valLoader, net::forward, null);
        net.release();
        net.train();
        if (!Double.isFinite(s.loss())) throw new DivergedException("validation loss is " + s.loss() + " after weight step " + steps);
        return s;
    }

    /** One mini-batch of the validation split (DARTS's alpha step), cycling. */
    public BatchLoader validationLoader() { return valLoader; }

    /** The weights and BN statistics only (what a supernet.bin holds). */
    void saveWeights(Checkpoint c) {
        TensorState.saveParams(c, "w.", net.params());
        TensorState.saveTensors(c, "bn.", net.buffers());
    }

    /** Weights and BN statistics from a supernet.bin; the SGD state and the data stream stay as they are. */
    void loadWeights(Checkpoint c) {
        TensorState.loadParams(c, "w.", net.params());
        TensorState.loadTensors(c, "bn.", net.buffers());
    }

    @Override public void save(Checkpoint c) {
        saveWeights(c);
        TensorState.saveTensors(c, "sgd.", sgd.state());
        c.header().put("weight_steps", steps);
        c.header().set("train_loader", c.json().valueToTree(trainLoader.state()));
    }

    @Override public void load(Checkpoint c) {
        loadWeights(c);
        TensorState.loadTensors(c, "sgd.", sgd.state());
        steps = c.field("weight_steps").asInt();
        sgd.setSteps(steps);
        try {
            trainLoader.restore(c.json().treeToValue(c.field("train_loader"), LoaderState.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException("checkpoint's train_loader state does not fit this run: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }
}
