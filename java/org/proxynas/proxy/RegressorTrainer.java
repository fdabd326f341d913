package org.proxynas.proxy;

import org.proxynas.rng.Rng;

/**
 * Fits a {@link Regressor} on the {@link ArchMemory} (docs/method.md#proxy): one regressor "epoch" shuffles the memory
 * with the given {@link Rng} and takes one optimiser step per mini-batch (64 by default; 100 entries give 2 steps).
 * {@link #fit} repeats epochs up to a cap and stops early by a {@link StopRule}: Kendall τ-b between the labels
 * and the predictions on the whole memory above a threshold (reference default, 0.95), or the epoch's mean loss
 * below a threshold (the reference EA rule, 1e-3). A regressor that {@link Regressor#fitsExactly() fits exactly} gets one
 * step on the whole memory, in memory order, as its only epoch.
 */
public final class RegressorTrainer {

    public enum StopRule {
        /** Stop when τ-b(labels, ŷ on the memory) &gt; threshold (checked after every epoch). */
        KENDALL,
        /** Stop when the epoch's mean training loss &lt; threshold. */
        LOSS,
        /** Always run the cap. */
        NONE
    }

    /**
     * @param batchSize mini-batch size (64)
     * @param maxEpochs cap on epochs per {@link #fit} (500)
     * @param stopRule  early-stop rule
     * @param threshold its threshold (0.95 for Kendall, 1e-3 for loss)
     */
    public record Config(int batchSize, int maxEpochs, StopRule stopRule, double threshold) {
        public static Config defaults() { return new Config(64, 500, StopRule.KENDALL, 0.95); }

        /** The reference EA script's rule: loss &lt; 1e-3. */
        public static Config lossRule() { return new Config(64, 500, StopRule.LOSS, 1e-3); }

        public Config {
            if (batchSize < 1) throw new IllegalArgumentException("regressor batch size must be >= 1, got " + batchSize);
            if (maxEpochs < 0) throw new IllegalArgumentException("regressor epochs must be >= 0, got " + maxEpochs);
            if (stopRule == null) throw new IllegalArgumentException("stop rule must not be null");
            if (Double.isNaN(threshold)) throw new IllegalArgumentException("threshold must not be NaN");
        }

        public Config withMaxEpochs(int epochs) { return new Config(batchSize, epochs, stopRule, threshold); }
    }

    /** One epoch: mean of the step losses and the number of steps. */
    public record EpochResult(double meanLoss, int steps) {}

    /**
     * @param epochs       epochs run
     * @param lastLoss     mean loss of the last epoch (NaN if none ran)
     * @param kendall      τ-b(labels, ŷ) on the memory after the last epoch
     * @param converged    whether the stop rule fired (false when the cap ended the fit)
     */
    public record FitResult(int epochs, double lastLoss, double kendall, boolean converged) {}

    private final Regressor regressor;
    private final Rng rng;
    private final Config config;

    public RegressorTrainer(Regressor regressor, Rng rng) { this(regressor, rng, Config.defaults()); }

    public RegressorTrainer(Regressor regressor, Rng rng, Config config) {
        if (regressor == null || rng == null || config == null) throw new IllegalArgumentException("arguments must not be null");
        this.regressor = regressor;
        this.rng = rng;
        this.config = config;
    }

    public Config config() { return config; }

    public Regressor regressor() { return regressor; }

    /** One shuffled pass over the memory. */
    public EpochResult epoch(ArchMemory memory) {
        if (memory.isEmpty()) throw new IllegalStateException("cannot train the regressor on an empty memory");
        float[][] enc = memory.encodings();
        double[] lab = memory.labels();
        if (regressor.fitsExactly()) return new EpochResult(checked(regressor.trainStep(enc, lab), 0), 1);
        int n = enc.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.shuffle(order);
        double sum = 0;
        int steps = 0;
        for (int start = 0; start < n; start += config.batchSize()) {
            int b = Math.min(config.batchSize(), n - start);
            float[][] be = new float[b][];
            double[] bl = new double[b];
            for (int i = 0; i < b; i++) {
                be[i] = enc[order[start + i]];
                bl[i] = lab[order[start + i]];
            }
            sum += checked(regressor.trainStep(be, bl), steps);
            steps++;
        }
        return new EpochResult(sum / steps, steps);
    }

    private static double checked(double loss, int step) {
        if (!Double.isFinite(loss)) throw new IllegalStateException("regressor loss diverged (" + loss + ") at step " + step + " of an epoch");
        return loss;
    }

    /** The epochs a fit capped at {@code cap} runs at most: one for a regressor that fits exactly (more would repeat it). */
    public int epochCap(int cap) { return regressor.fitsExactly() ? Math.min(1, cap) : cap; }

    /** Epochs up to the configured cap, with early stopping; one epoch for a regressor that fits exactly. */
    public FitResult fit(ArchMemory memory) { return fit(memory, config.maxEpochs()); }

    public FitResult fit(ArchMemory memory, int maxEpochs) {
        if (regressor.fitsExactly() && epochCap(maxEpochs) > 0) {
            double loss = epoch(memory).meanLoss();
            return new FitResult(1, loss, kendall(memory), true);
        }
        double last = Double.NaN, tau = Double.NaN;
        int epochs = 0;
        boolean early = false;
        while (epochs < maxEpochs) {
            last = epoch(memory).meanLoss();
            epochs++;
            if (config.stopRule() == StopRule.KENDALL) {
                tau = kendall(memory);
                if (tau > config.threshold()) { early = true; break; }
            } else if (config.stopRule() == StopRule.LOSS && last < config.threshold()) {
                early = true;
                break;
            }
        }
        if (config.stopRule() != StopRule.KENDALL || epochs == 0) tau = memory.isEmpty() ? Double.NaN : kendall(memory);
        return new FitResult(epochs, last, tau, early);
    }

    /** τ-b(labels, ŷ) over the whole memory. */
    public double kendall(ArchMemory memory) {
        return KendallTau.tauB(memory.labels(), regressor.predict(memory.encodings()));
    }
}
