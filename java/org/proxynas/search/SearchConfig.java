package org.proxynas.search;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Arrays;

/**
 * Every hyperparameter of a search, in groups that each check their own fields (messages name the CLI option).
 * {@link #paper()} has the reference code's defaults (docs/method.md#defaults), {@link #demo()} a reduced run;
 * {@link #builder()} starts from the reference defaults, {@link #toBuilder()} from any configuration.
 *
 * @param checkpointEvery checkpoint every N samples or iterations; not part of the run's identity (a resume may change it)
 */
public record SearchConfig(Method method, long seed, int checkpointEvery, ScheduleSpec schedule, SupernetSpec supernet,
                           DataSpec data, AlphaSpec alpha, ProxySpec proxy, DiagnosticsSpec diagnostics) {

    /** The search method; the constants are the names --method, config.json and checkpoints use. */
    public enum Method {
        pvll, evolve, darts, random;

        @JsonCreator
        public static Method parse(String name) {
            return SearchConfig.parse(Method.class, name, "--method must be pvll, evolve, darts or random");
        }
    }

    /** The proxy regressor; the constants are the names --regressor and config.json use. */
    public enum RegressorKind {
        lstm, gae, ridge;

        @JsonCreator
        public static RegressorKind parse(String name) {
            return SearchConfig.parse(RegressorKind.class, name, "--regressor must be lstm, gae or ridge");
        }
    }

    /**
     * How much training a search does.
     *
     * @param warmupSamples  P: random paths for supernet warm-up and the initial memory
     * @param iterations     E_s: search iterations
     * @param stepsPerSample mini-batches per sampled path; 0 = one full epoch over the training split, as the
     *                       reference (a positive value is a cheaper, documented deviation)
     */
    public record ScheduleSpec(int warmupSamples, int iterations, int stepsPerSample) {
        public ScheduleSpec {
            check(warmupSamples >= 2, "--warmup-samples must be >= 2, got " + warmupSamples);
            check(iterations >= 1, "--iterations must be >= 1, got " + iterations);
            check(stepsPerSample >= 0, "--steps-per-sample must be >= 0 (0 = a full epoch), got " + stepsPerSample);
        }
    }

    /**
     * The supernet (C channels, L cells) and its SGD, cosine from lr to lrMin over the search.
     *
     * @param initWeights a supernet.bin from `proxynas diagnose` to start from (null: fresh random weights)
     */
    public record SupernetSpec(int channels, int layers, double lr, double lrMin, double momentum, double weightDecay, double gradClip,
                               String initWeights) {
        public SupernetSpec {
            check(channels >= 2 && channels % 2 == 0, "--channels must be even and >= 2, got " + channels);
            check(layers >= 3, "--layers must be >= 3, got " + layers);
            check(lr > 0, "--lr must be > 0, got " + lr);
            check(lrMin >= 0 && lrMin <= lr, "--lr-min must be in [0, --lr], got " + lrMin);
            check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
            check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
            check(gradClip > 0, "--grad-clip must be > 0, got " + gradClip);
        }
    }

    /**
     * What each sample trains and is scored on.
     *
     * @param valBatchStats validate with batch statistics instead of BN running statistics
     */
    public record DataSpec(double dataFraction, double valFraction, int batch, int evalBatch, boolean valBatchStats) {
        public DataSpec {
            check(dataFraction > 0 && dataFraction <= 1, "--data-fraction must be in (0, 1], got " + dataFraction);
            check(valFraction > 0 && valFraction <= 1, "--val-fraction must be in (0, 1], got " + valFraction);
            check(batch >= 2, "--batch must be >= 2 (batch norm needs two samples), got " + batch);
            check(evalBatch >= 1, "--eval-batch must be >= 1, got " + evalBatch);
        }
    }

    /**
     * The architecture parameters: Gumbel-softmax sampling and their Adam.
     *
     * @param oiw operation importance weights scale the Gumbel noise
     */
    public record AlphaSpec(boolean oiw, double temperature, double alphaLr, double alphaWeightDecay) {
        public AlphaSpec {
            check(temperature > 0, "--temperature must be > 0, got " + temperature);
            check(alphaLr > 0, "--alpha-lr must be > 0, got " + alphaLr);
            check(alphaWeightDecay >= 0, "--alpha-weight-decay must be >= 0, got " + alphaWeightDecay);
        }
    }

    /**
     * The proxy: its memory and regressor.
     *
     * @param gaeFile a pretrained GAE (null: pretrain one into the run directory)
     */
    public record ProxySpec(RegressorKind regressor, int memoryCapacity, int regressorWarmupEpochs, int regressorMaxEpochs, double tauStop,
                            double regressorLr, String gaeFile, int gaePretrainArchs, int gaePretrainEpochs) {
        public ProxySpec {
            check(regressor != null, "--regressor must be lstm, gae or ridge, got null");
            check(memoryCapacity >= 2, "--memory must be >= 2, got " + memoryCapacity);
            check(regressorWarmupEpochs >= 0, "--regressor-warmup must be >= 0, got " + regressorWarmupEpochs);
            check(regressorMaxEpochs >= 1, "--regressor-epochs must be >= 1, got " + regressorMaxEpochs);
            check(tauStop > -1 && tauStop <= 1, "--tau-stop must be in (-1, 1], got " + tauStop);
            check(regressorLr > 0, "--regressor-lr must be > 0, got " + regressorLr);
            check(gaePretrainArchs >= 2, "--gae-pretrain-archs must be >= 2, got " + gaePretrainArchs);
            check(gaePretrainEpochs >= 1, "--gae-pretrain-epochs must be >= 1, got " + gaePretrainEpochs);
        }
    }

    /**
     * Measurements after the search, on a copy of the supernet state (the search itself is unchanged).
     *
     * @param heldoutSamples fresh samples around the final alpha, each trained as a memory sample, scored by the proxy
     * @param diagnosePaths  label diagnostic: paths re-measured (0 = off)
     * @param diagnoseRepeats ... and how often each
     */
    public record DiagnosticsSpec(int heldoutSamples, int diagnosePaths, int diagnoseRepeats) {
        public DiagnosticsSpec {
            check(heldoutSamples >= 0, "--heldout must be >= 0, got " + heldoutSamples);
            check(diagnosePaths == 0 || diagnosePaths >= 2, "--diagnose-paths must be 0 (off) or >= 2, got " + diagnosePaths);
            check(diagnosePaths == 0 || diagnoseRepeats >= 2,
                    "--diagnose-repeats must be >= 2 (a share of variance needs repeats), got " + diagnoseRepeats);
        }
    }

    public SearchConfig {
        check(method != null, "--method must be pvll, evolve, darts or random, got null");
        check(checkpointEvery >= 1, "--checkpoint-every must be >= 1, got " + checkpointEvery);
        // A group is null only when config.json lacks it.
        check(schedule != null && supernet != null && data != null && alpha != null && proxy != null && diagnostics != null,
                "every group (schedule, supernet, data, alpha, proxy, diagnostics) must be present");
    }

    /** Held-out samples by default: under no correlation the standard error of Kendall tau is sqrt(2(2n+5)/(9n(n-1))): 0.13 at n = 30, 0.29 at n = 8. */
    public static final int HELDOUT_DEFAULT = 30;

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String expected) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(expected + ", got '" + name + "'"));
    }

    /**
     * How far the supernet can move toward a newly sampled path in the last search iteration: the final learning rate
     * times the steps per sample (trainSteps for a full epoch). A fresh path starts from weights co-adapted to the
     * paths before it; below {@link #MIN_FINAL_ADAPTATION} its training and validation loss stay those of an
     * untrained path, so late labels measure the shared weights' fit to the previous path rather than this one.
     * Measured on the demo (C=8, L=5, 10 steps, final lr 0.001, i.e. 0.01): sampled paths' training loss rose to
     * 2.52 over the last iterations; ten steps at 0.025 (0.25) brought the same paths from ~2.3 to ~1.0.
     */
    public double finalAdaptation(int trainSteps) {
        return (double) finalLr() * (schedule.stepsPerSample() > 0 ? schedule.stepsPerSample() : trainSteps);
    }

    /**
     * The supernet learning rate of the last search iteration: held-out paths and judged genotypes are trained at it,
     * as the last labels were.
     */
    public float finalLr() {
        int iterations = schedule.iterations();
        return new org.proxynas.train.CosineSchedule(supernet.lr(), supernet.lrMin(), iterations).at(iterations - 1);
    }

    /** The smallest {@link #finalAdaptation} that lets a path recover within its sample (see there). */
    public static final double MIN_FINAL_ADAPTATION = 0.1;

    /**
     * The reference code's defaults (train_search.py) on CIFAR-10, plus 30 held-out samples and the label diagnostic on
     * 3 paths x 3 (both after the search, on a copy of the supernet state: the search itself is the reference's).
     */
    public static SearchConfig paper() {
        return builder().build();
    }

    /**
     * A reduced run that finishes within minutes on 2 CPU cores and still shows the method at work: a smaller
     * supernet (C=8, L=5), 10 mini-batches per sample instead of an epoch, 40% of the data with half of the
     * validation half scored, validation with batch statistics (ten steps per path leave BN running statistics
     * stale, which inflates eval-mode losses past the regressor's 2*sigmoid range), and a faster alpha step (1e-1
     * instead of 3e-4: the reference rate keeps sampling nearly uniform, docs/method.md#sampling-and-oiw; 1e-1 beat
     * 3e-2 both on the NAS-Bench-301 surrogate and on the planted landscape, benchmarks/RESULTS.md). The supernet learning rate stays at 0.025 (the reference decays it to 0.001, but
     * over full epochs per sample): ten steps at 0.001 cannot move the weights toward a new path, and the last
     * iterations' paths then trained at losses above ln 10 ({@link #finalAdaptation}). After the search, 30 held-out
     * samples and a label diagnostic of 3 paths x 3 measurements.
     */
    public static SearchConfig demo() {
        return builder().warmupSamples(10).iterations(25).regressorWarmupEpochs(100).regressorMaxEpochs(100).batch(32).evalBatch(250)
                .lrMin(0.025).alphaLr(1e-1).stepsPerSample(10).dataFraction(0.4).valFraction(0.5).valBatchStats(true).channels(8).layers(5)
                .gaePretrainArchs(400).gaePretrainEpochs(10).checkpointEvery(1).build();
    }

    /** A builder with the reference defaults ({@link #paper()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.seed = seed;
        b.checkpointEvery = checkpointEvery;
        b.warmupSamples = schedule.warmupSamples();
        b.iterations = schedule.iterations();
        b.stepsPerSample = schedule.stepsPerSample();
        b.channels = supernet.channels();
        b.layers = supernet.layers();
        b.lr = supernet.lr();
        b.lrMin = supernet.lrMin();
        b.momentum = supernet.momentum();
        b.weightDecay = supernet.weightDecay();
        b.gradClip = supernet.gradClip();
        b.initWeights = supernet.initWeights();
        b.dataFraction = data.dataFraction();
        b.valFraction = data.valFraction();
        b.batch = data.batch();
        b.evalBatch = data.evalBatch();
        b.valBatchStats = data.valBatchStats();
        b.oiw = alpha.oiw();
        b.temperature = alpha.temperature();
        b.alphaLr = alpha.alphaLr();
        b.alphaWeightDecay = alpha.alphaWeightDecay();
        b.regressor = proxy.regressor();
        b.memoryCapacity = proxy.memoryCapacity();
        b.regressorWarmupEpochs = proxy.regressorWarmupEpochs();
        b.regressorMaxEpochs = proxy.regressorMaxEpochs();
        b.tauStop = proxy.tauStop();
        b.regressorLr = proxy.regressorLr();
        b.gaeFile = proxy.gaeFile();
        b.gaePretrainArchs = proxy.gaePretrainArchs();
        b.gaePretrainEpochs = proxy.gaePretrainEpochs();
        b.heldoutSamples = diagnostics.heldoutSamples();
        b.diagnosePaths = diagnostics.diagnosePaths();
        b.diagnoseRepeats = diagnostics.diagnoseRepeats();
        return b;
    }

    /** Every field by its flat name; {@link #build()} checks them group by group. Starts from the reference defaults. */
    public static final class Builder {
        private Method method = Method.pvll;
        private long seed = 1;
        private int checkpointEvery = 5;
        private int warmupSamples = 100, iterations = 200, stepsPerSample = 0;
        private int channels = 16, layers = 8;
        private double lr = 0.025, lrMin = 0.001, momentum = 0.9, weightDecay = 3e-4, gradClip = 5;
        private String initWeights;
        private double dataFraction = 1.0, valFraction = 1.0;
        private int batch = 64, evalBatch = 256;
        private boolean valBatchStats;
        private boolean oiw;
        private double temperature = 0.1, alphaLr = 3e-4, alphaWeightDecay = 1e-3;
        private RegressorKind regressor = RegressorKind.lstm;
        private int memoryCapacity = 100, regressorWarmupEpochs = 500, regressorMaxEpochs = 500;
        private double tauStop = 0.95, regressorLr = 1e-3;
        private String gaeFile;
        private int gaePretrainArchs = 4000, gaePretrainEpochs = 100;
        private int heldoutSamples = HELDOUT_DEFAULT, diagnosePaths = 3, diagnoseRepeats = 3;

        private Builder() {}

        public Builder method(Method v) { method = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder warmupSamples(int v) { warmupSamples = v; return this; }
        public Builder iterations(int v) { iterations = v; return this; }
        public Builder stepsPerSample(int v) { stepsPerSample = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder lrMin(double v) { lrMin = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder gradClip(double v) { gradClip = v; return this; }
        public Builder initWeights(String v) { initWeights = v; return this; }
        public Builder dataFraction(double v) { dataFraction = v; return this; }
        public Builder valFraction(double v) { valFraction = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder evalBatch(int v) { evalBatch = v; return this; }
        public Builder valBatchStats(boolean v) { valBatchStats = v; return this; }
        public Builder oiw(boolean v) { oiw = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder alphaLr(double v) { alphaLr = v; return this; }
        public Builder alphaWeightDecay(double v) { alphaWeightDecay = v; return this; }
        public Builder regressor(RegressorKind v) { regressor = v; return this; }
        public Builder memoryCapacity(int v) { memoryCapacity = v; return this; }
        public Builder regressorWarmupEpochs(int v) { regressorWarmupEpochs = v; return this; }
        public Builder regressorMaxEpochs(int v) { regressorMaxEpochs = v; return this; }
        public Builder tauStop(double v) { tauStop = v; return this; }
        public Builder regressorLr(double v) { regressorLr = v; return this; }
        public Builder gaeFile(String v) { gaeFile = v; return this; }
        public Builder gaePretrainArchs(int v) { gaePretrainArchs = v; return this; }
        public Builder gaePretrainEpochs(int v) { gaePretrainEpochs = v; return this; }
        public Builder heldoutSamples(int v) { heldoutSamples = v; return this; }
        public Builder diagnosePaths(int v) { diagnosePaths = v; return this; }
        public Builder diagnoseRepeats(int v) { diagnoseRepeats = v; return this; }

        public SearchConfig build() {
            return new SearchConfig(method, seed, checkpointEvery, new ScheduleSpec(warmupSamples, iterations, stepsPerSample),
                    new SupernetSpec(channels, layers, lr, lrMin, momentum, weightDecay, gradClip, initWeights),
                    new DataSpec(dataFraction, valFraction, batch, evalBatch, valBatchStats),
                    new AlphaSpec(oiw, temperature, alphaLr, alphaWeightDecay),
                    new ProxySpec(regressor, memoryCapacity, regressorWarmupEpochs, regressorMaxEpochs, tauStop, regressorLr, gaeFile,
                            gaePretrainArchs, gaePretrainEpochs),
                    new DiagnosticsSpec(heldoutSamples, diagnosePaths, diagnoseRepeats));
        }
    }
}
