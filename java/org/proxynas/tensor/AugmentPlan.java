package org.proxynas.tensor;

/**
 * The random choices of one augmented batch, drawn on the host. For batch row b:
 * take image {@code indices[b]}, pad it by {@code pad} zeros (in normalised space, as torchvision pads before
 * normalising: padding becomes (0 - mean)/std), crop the window whose top-left corner is
 * ({@code cropY[b]}, {@code cropX[b]}) in padded coordinates, mirror it when {@code flip[b]}, normalise with
 * mean/std per channel (pixel/255 - mean)/std, then zero a cutout square of side {@code cutout} centred at
 * ({@code cutY[b]}, {@code cutX[b]}) clipped to the image (no cutout when {@code cutout == 0}).
 *
 * <p>Precisely, with source [M,C,H,W] and out [B,C,H,W] (the crop has the source's size): out[b,c,y,x] is
 * (p/255 - mean[c])/std[c] for p = source[indices[b], c, cropY[b] - pad + y, cropX[b] - pad + x'] with
 * x' = flip[b] ? W-1-x : x, or (0 - mean[c])/std[c] where that position lies in the padding; then 0 for rows
 * [cutY - cutout/2, cutY - cutout/2 + cutout) and columns likewise (integer division; DARTS's Cutout for even
 * sides), clipped to the image. Backends check: indices in [0, M), cropY and cropX in [0, 2*pad], and when
 * cutout &gt; 0, cutY in [0, H) and cutX in [0, W); a violation names the batch row.
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
