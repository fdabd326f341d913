package org.proxynas.data;

/** The splits of docs/method.md#search-space. */
public final class Splits {
    private Splits() {}

    /**
     * The search split, by index as DARTS and PVLL-NAS do: with n training images and s = floor(n/2), images
     * [0, s) train the supernet weights and [s, n) are the validation split. With fraction f in (0, 1] only the
     * first max(1, floor(f * size)) images of each half are kept (fast runs).
     */
    public static Split search(ImageSet trainSet, double fraction) {
        checkFraction(fraction);
        int n = trainSet.size();
        if (n < 2) throw new IllegalArgumentException(trainSet.name() + ": the search split needs at least 2 images, got " + n);
        int s = n / 2;
        int trainCount = keep(s, fraction), validCount = keep(n - s, fraction);
        return new Split(trainSet.range(trainSet.name() + "/search-train", 0, trainCount),
                trainSet.range(trainSet.name() + "/search-valid", s, s + validCount));
    }

    /** The whole search split ({@code fraction = 1}). */
    public static Split search(ImageSet trainSet) { return search(trainSet, 1.0); }

    /**
     * The retraining split: the dataset's train set to fit, its test set to measure; with fraction f the first
     * max(1, floor(f * size)) images of each.
     */
    public static Split retrain(Dataset d, double fraction) {
        checkFraction(fraction);
        ImageSet tr = d.train(), te = d.test();
        return new Split(fraction == 1 ? tr : tr.range(tr.name(), 0, keep(tr.size(), fraction)),
                fraction == 1 ? te : te.range(te.name(), 0, keep(te.size(), fraction)));
    }

    public static Split retrain(Dataset d) { return retrain(d, 1.0); }

    private static int keep(int size, double fraction) {
        return (int) Math.max(1, Math.min(size, Math.floor(fraction * size + 1e-9)));
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("data fraction must be in (0, 1], got " + fraction);
    }
}
