package org.proxynas.data;

/**
 * Which augmentations a training loader draws: random crop of the image's own size after zero-padding by
 * {@code pad} (0: no crop), horizontal flip with probability 1/2, and a cutout square of side {@code cutout}
 * (0: none) with its centre uniform over the image. Normalisation is always applied.
 */
public record AugmentOptions(int pad, boolean flip, int cutout) {
    /** No augmentation (evaluation). */
    public static final AugmentOptions NONE = new AugmentOptions(0, false, 0);
    /** The search setting of DARTS and PVLL-NAS: crop with pad 4, flip, no cutout. */
    public static final AugmentOptions SEARCH = new AugmentOptions(4, true, 0);
    /** The retraining setting: crop with pad 4, flip, cutout 16. */
    public static final AugmentOptions RETRAIN = new AugmentOptions(4, true, 16);

    public AugmentOptions {
        if (pad < 0) throw new IllegalArgumentException("crop padding must be >= 0, got " + pad);
        if (cutout < 0) throw new IllegalArgumentException("cutout side must be >= 0, got " + cutout);
    }

    public AugmentOptions withCutout(int side) { return new AugmentOptions(pad, flip, side); }
}
