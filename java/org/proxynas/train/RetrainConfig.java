package org.proxynas.train;

/**
 * Hyperparameters for training a derived architecture from scratch (DARTS train.py defaults, scaled by epochs).
 */
public record RetrainConfig(int epochs, int batch, double lr, double momentum, double weightDecay, double gradClip,
                            double auxWeight, double dropPath, int cutout, double trainFraction, long seed) {
    public RetrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 2) throw new IllegalArgumentException("--batch must be >= 2 (batch norm needs two samples), got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(gradClip > 0)) throw new IllegalArgumentException("gradient clip must be > 0, got " + gradClip);
        if (!(auxWeight >= 0)) throw new IllegalArgumentException("--aux-weight must be >= 0, got " + auxWeight);
        if (!(dropPath >= 0 && dropPath < 1)) throw new IllegalArgumentException("--drop-path must be in [0, 1), got " + dropPath);
        if (cutout < 0) throw new IllegalArgumentException("--cutout must be >= 0, got " + cutout);
        if (!(trainFraction > 0 && trainFraction <= 1)) throw new IllegalArgumentException("--train-fraction must be in (0, 1], got " + trainFraction);
    }
}
