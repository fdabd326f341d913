package org.proxynas.data;

/** Size and seed of the procedural dataset ({@link SyntheticData}). */
public record SyntheticSpec(int train, int test, int channels, int height, int width, int classes, long seed) {
    /** 5000 train + 1000 test images of 3x32x32 in 10 classes, seed 0. */
    public static final SyntheticSpec DEFAULT = new SyntheticSpec(5000, 1000, 3, 32, 32, 10, 0);

    public SyntheticSpec {
        if (train <= 0 || test <= 0) throw new IllegalArgumentException("synthetic train and test sizes must be positive, got " + train + "/" + test);
        if (channels <= 0 || height < 4 || width < 4) {
            throw new IllegalArgumentException("synthetic images must have >= 1 channel and be at least 4x4, got " + channels + "x" + height + "x" + width);
        }
        if (classes < 2 || classes > 256) throw new IllegalArgumentException("synthetic class count must be in 2..256, got " + classes);
    }

    public SyntheticSpec withSeed(long newSeed) { return new SyntheticSpec(train, test, channels, height, width, classes, newSeed); }

    public SyntheticSpec withSizes(int newTrain, int newTest) { return new SyntheticSpec(newTrain, newTest, channels, height, width, classes, seed); }
}
