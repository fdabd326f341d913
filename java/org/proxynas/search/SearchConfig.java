package org.proxynas.search;

/**
 * Every hyperparameter of a search, with the reference code's defaults (docs/method.md#defaults) in
 * {@link #paper()}. stepsPerSample = 0 means one full epoch over the training split per sample, as the reference;
 * a positive value trains that many mini-batches per sample instead (a cheaper, documented deviation).
 */
public record SearchConfig(
        String method,            // pvll | evolve | darts | random
        String regressor,         // lstm | gae
        boolean oiw,
        int warmupSamples,        // P
        int iterations,           // E_s
        int regressorWarmupEpochs,
        int regressorMaxEpochs,
        double tauStop,
        int memoryCapacity,
        int batch,
        int evalBatch,
        double lr,
        double lrMin,
        double momentum,
        double weightDecay,
        double gradClip,
        double temperature,
        double alphaLr,
        double alphaWeightDecay,
        double regressorLr,
        int stepsPerSample,
        double dataFraction,
        double valFraction,
        boolean valBatchStats,    // validate with batch statistics instead of BN running statistics
        int channels,
        int layers,
        int gaePretrainArchs,
        int gaePretrainEpochs,
        String gaeFile,           // pretrained GAE (null: pretrain into the run directory)
        int heldoutSamples,       // fresh samples around the final alpha, each trained as a memory sample, scored after the search
        long seed,
        int checkpointEvery,
        int diagnosePaths,        // label diagnostic after the search: paths re-measured (0 = off)
        int diagnoseRepeats) {    // ... and how often each

    /** Runs from before the label diagnostic existed (their config.json lacks the two fields): diagnostic off. */
    public SearchConfig(String method, String regressor, boolean oiw, int warmupSamples, int iterations, int regressorWarmupEpochs,
                        int regressorMaxEpochs, double tauStop, int memoryCapacity, int batch, int evalBatch, double lr, double lrMin,
                        double momentum, double weightDecay, double gradClip, double temperature, double alphaLr, double alphaWeightDecay,
                        double regressorLr, int stepsPerSample, double dataFraction, double valFraction, boolean valBatchStats, int channels,
                        int layers, int gaePretrainArchs, int gaePretrainEpochs, String gaeFile, int heldoutSamples, long seed,
                        int checkpointEvery) {
        this(method, regressor, oiw, warmupSamples, iterations, regressorWarmupEpochs, regressorMaxEpochs, tauStop, memoryCapacity, batch,
                evalBatch, lr, lrMin, momentum, weightDecay, gradClip, temperature, alphaLr, alphaWeightDecay, regressorLr, stepsPerSample,
                dataFraction, valFraction, valBatchStats, channels, layers, gaePretrainArchs, gaePretrainEpochs, gaeFile, heldoutSamples, seed,
                checkpointEvery, 0, 0);
    }

    public SearchConfig {
        check(java.util.List.of("pvll", "evolve", "darts", "random").contains(method), "--method must be pvll, evolve, darts or random, got '" + method + "'");
        check(regressor.equals("lstm") || regressor.equals("gae"), "--regressor must be lstm or gae, got '" + regressor + "'");
        check(warmupSamples >= 2, "--warmup-samples must be >= 2, got " + warmupSamples);
        check(iterations >= 1, "--iterations must be >= 1, got " + iterations);
        check(regressorWarmupEpochs >= 0, "--regressor-warmup must be >= 0, got " + regressorWarmupEpochs);
        check(regressorMaxEpochs >= 1, "--regressor-epochs must be >= 1, got " + regressorMaxEpochs);
        check(tauStop > -1 && tauStop <= 1, "--tau-stop must be in (-1, 1], got " + tauStop);
        check(memoryCapacity >= 2, "--memory must be >= 2, got " + memoryCapacity);
        check(batch >= 2, "--batch must be >= 2 (batch norm needs two samples), got " + batch);
        check(evalBatch >= 1, "--eval-batch must be >= 1, got " + evalBatch);
        check(lr > 0, "--lr must be > 0, got " + lr);
        check(lrMin >= 0 && lrMin <= lr, "--lr-min must be in [0, --lr], got " + lrMin);
        check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
        check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        check(gradClip > 0, "--grad-clip must be > 0, got " + gradClip);
        check(temperature > 0, "--temperature must be > 0, got " + temperature);
        check(alphaLr > 0, "--alpha-lr must be > 0, got " + alphaLr);
        check(alphaWeightDecay >= 0, "--alpha-weight-decay must be >= 0, got " + alphaWeightDecay);
        check(regressorLr > 0, "--regressor-lr must be > 0, got " + regressorLr);
        check(stepsPerSample >= 0, "--steps-per-sample must be >= 0 (0 = a full epoch), got " + stepsPerSample);
        check(dataFraction > 0 && dataFraction <= 1, "--data-fraction must be in (0, 1], got " + dataFraction);
        check(valFraction > 0 && valFraction <= 1, "--val-fraction must be in (0, 1], got " + valFraction);
        check(channels >= 2 && channels % 2 == 0, "--channels must be even and >= 2, got " + channels);
        check(layers >= 3, "--layers must be >= 3, got " + layers);
        check(gaePretrainArchs >= 2, "--gae-pretrain-archs must be >= 2, got " + gaePretrainArchs);
        check(gaePretrainEpochs >= 1, "--gae-pretrain-epochs must be >= 1, got " + gaePretrainEpochs);
        check(heldoutSamples >= 0, "--heldout must be >= 0, got " + heldoutSamples);
        check(checkpointEvery >= 1, "--checkpoint-every must be >= 1, got " + checkpointEvery);
        check(diagnosePaths == 0 || diagnosePaths >= 2, "--diagnose-paths must be 0 (off) or >= 2, got " + diagnosePaths);
        check(diagnosePaths == 0 || diagnoseRepeats >= 2, "--diagnose-repeats must be >= 2 (a share of variance needs repeats), got " + diagnoseRepeats);
    }

    /** Held-out samples by default: under no correlation the standard error of Kendall tau is sqrt(2(2n+5)/(9n(n-1))): 0.13 at n = 30, 0.29 at n = 8. */
    public static final int HELDOUT_DEFAULT = 30;

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
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
        double finalLr = new org.proxynas.train.CosineSchedule(lr, lrMin, iterations).at(iterations - 1);
        return finalLr * (stepsPerSample > 0 ? stepsPerSample : trainSteps);
    }

    /** The smallest {@link #finalAdaptation} that lets a path recover within its sample (see there). */
    public static final double MIN_FINAL_ADAPTATION = 0.1;

    /** The same configuration with the label diagnostic set to k paths measured m times each. */
    public SearchConfig withDiagnostic(int k, int m) {
        return new SearchConfig(method, regressor, oiw, warmupSamples, iterations, regressorWarmupEpochs, regressorMaxEpochs, tauStop,
                memoryCapacity, batch, evalBatch, lr, lrMin, momentum, weightDecay, gradClip, temperature, alphaLr, alphaWeightDecay,
                regressorLr, stepsPerSample, dataFraction, valFraction, valBatchStats, channels, layers, gaePretrainArchs, gaePretrainEpochs,
                gaeFile, heldoutSamples, seed, checkpointEvery, k, m);
    }

    /**
     * The reference code's defaults (train_search.py) on CIFAR-10, plus 30 held-out samples and the label diagnostic on
     * 3 paths x 3 (both after the search, on a copy of the supernet state: the search itself is the reference's).
     */
    public static SearchConfig paper() {
        return new SearchConfig("pvll", "lstm", false, 100, 200, 500, 500, 0.95, 100, 64, 256,
                0.025, 0.001, 0.9, 3e-4, 5, 0.1, 3e-4, 1e-3, 1e-3, 0, 1.0, 1.0, false, 16, 8, 4000, 100, null, HELDOUT_DEFAULT, 1, 5, 3, 3);
    }

    /**
     * A reduced run that finishes within minutes on 2 CPU cores and still shows the method at work: a smaller
     * supernet (C=8, L=5), 10 mini-batches per sample instead of an epoch, 40% of the data with half of the
     * validation half scored, validation with batch statistics (ten steps per path leave BN running statistics
     * stale, which inflates eval-mode losses past the regressor's 2*sigmoid range), and a faster alpha step (3e-2
     * instead of 3e-4, so alpha visibly moves within 25 iterations; docs/method.md#sampling-and-oiw notes the reference rate
     * keeps sampling nearly uniform). The supernet learning rate stays at 0.025 (the reference decays it to 0.001, but
     * over full epochs per sample): ten steps at 0.001 cannot move the weights toward a new path, and the last
     * iterations' paths then trained at losses above ln 10 ({@link #finalAdaptation}). After the search, 30 held-out
     * samples and a label diagnostic of 3 paths x 3 measurements.
     */
    public static SearchConfig demo() {
        return new SearchConfig("pvll", "lstm", false, 10, 25, 100, 100, 0.95, 100, 32, 250,
                0.025, 0.025, 0.9, 3e-4, 5, 0.1, 3e-2, 1e-3, 1e-3, 10, 0.4, 0.5, true, 8, 5, 400, 10, null, HELDOUT_DEFAULT, 1, 1, 3, 3);
    }
}
