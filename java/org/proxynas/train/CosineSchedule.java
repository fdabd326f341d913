package org.proxynas.train;

/** PyTorch's CosineAnnealingLR: lr(t) = min + (base - min) * (1 + cos(pi * t / T)) / 2, t counted in epochs. */
public record CosineSchedule(double base, double min, int epochs) {
    public CosineSchedule {
        if (!(base > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + base);
        if (!(min >= 0 && min <= base)) throw new IllegalArgumentException("minimum learning rate must be in [0, " + base + "], got " + min);
        if (epochs < 1) throw new IllegalArgumentException("schedule length must be >= 1 epoch, got " + epochs);
    }

    public float at(int epoch) {
        int t = Math.min(epoch, epochs);
        return (float) (min + (base - min) * (1 + Math.cos(Math.PI * t / epochs)) / 2);
    }
}
