package org.proxynas.tensor;

/**
 * The random choices of one augmented batch, drawn on the host. For batch row b:
 * take image {@code indices[b]}, pad it by {@code pad} zeros (in normalised space, as torchvision pads before
 * normalising: padding becomes (0 - mean)/std), crop the window whose top-left corner is
 * ({@code cropY[b]}, {@code cropX[b]}) in padded coordinates, mirror it when {@code flip[b]}, normalise with
 * mean/std per channel (pixel/255 - mean)/std, then zero a cutout square of side {@code cutout} centred at
 * ({@code cutY[b]}, {@code cutX[b]}) clipped to the image (no cutout when {@code cutout == 0}).
 */
public record AugmentPlan(int[] indices, int pad, int[] cropY, int[] cropX, boolean[] flip,
                          int cutout, int[] cutY, int[] cutX, float[] mean, float[] std) {
    public AugmentPlan {
        int b = indices.length;
        if (cropY.length != b || cropX.length != b || flip.length != b || cutY.length != b || cutX.length != b) {
            throw new IllegalArgumentException("AugmentPlan arrays must all have the batch length " + b);
        }
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std must have one entry per channel");
        if (pad < 0 || cutout < 0) throw new IllegalArgumentException("pad and cutout must be >= 0");
    }

    public int batch() { return indices.length; }
}
