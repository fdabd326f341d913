package org.proxynas.data;

/** Two disjoint image sets: the one to fit weights on and the one to measure on (validation or test). */
public record Split(ImageSet train, ImageSet valid) {
    public Split {
        if (train.channels() != valid.channels() || train.height() != valid.height() || train.width() != valid.width()
                || train.classes() != valid.classes()) {
            throw new IllegalArgumentException("split halves differ in shape or classes: " + train + " vs " + valid);
        }
    }
}
