package org.proxynas.data;

/** A named dataset: its train and test sets and the per-channel normalisation its images use. */
public record Dataset(String name, ImageSet train, ImageSet test, Normalization normalization) {
    public Dataset {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.classes() != test.classes()) {
            throw new IllegalArgumentException(name + ": train " + train + " and test " + test + " differ in shape or classes");
        }
        if (normalization.channels() != train.channels()) {
            throw new IllegalArgumentException(name + ": normalisation has " + normalization.channels()
                    + " channels, images have " + train.channels());
        }
    }

    public int channels() { return train.channels(); }
    public int height() { return train.height(); }
    public int width() { return train.width(); }
    public int classes() { return train.classes(); }
}
