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

    /**
     * Checks a plan against source [M,C,H,W] and out [B,C,H,W] on backend, as every backend must before it runs one;
     * each failure names the argument, and for a plan field the batch row.
     */
    public static void check(Backend backend, Tensor source, AugmentPlan plan, Tensor out) {
        Checks.notNull("plan", plan);
        Checks.rank("source", source, 4);
        Checks.sameBackend(backend, "source", source);
        Checks.sameBackend(backend, "out", out);
        int m = source.n(), c = source.c(), h = source.h(), w = source.w(), b = plan.batch();
        Checks.shape("out", out, b, c, h, w);
        if (plan.mean.length != c) {
            throw new IllegalArgumentException("plan.mean and plan.std must have one entry per channel (" + c + "), got " + plan.mean.length);
        }
        int pad = plan.pad, cut = plan.cutout;
        for (int r = 0; r < b; r++) {
            String row = "[" + r + "] (batch row " + r + ")";
            if (plan.indices[r] < 0 || plan.indices[r] >= m) Checks.range("plan.indices" + row, plan.indices[r], 0, m - 1);
            if (plan.cropY[r] < 0 || plan.cropY[r] > 2 * pad) Checks.range("plan.cropY" + row, plan.cropY[r], 0, 2 * pad);
            if (plan.cropX[r] < 0 || plan.cropX[r] > 2 * pad) Checks.range("plan.cropX" + row, plan.cropX[r], 0, 2 * pad);
            if (cut > 0 && (plan.cutY[r] < 0 || plan.cutY[r] >= h)) Checks.range("plan.cutY" + row, plan.cutY[r], 0, h - 1);
            if (cut > 0 && (plan.cutX[r] < 0 || plan.cutX[r] >= w)) Checks.range("plan.cutX" + row, plan.cutX[r], 0, w - 1);
        }
        for (int ch = 0; ch < c; ch++) Checks.positive("plan.std[" + ch + "]", plan.std[ch]);
    }

    /** Per-channel 1/(255 std): with {@link #shift()}, normalisation is pixel * scale + shift on every backend. */
    public float[] scale() {
        float[] s = new float[std.length];
        for (int ch = 0; ch < s.length; ch++) s[ch] = 1f / (255f * std[ch]);
        return s;
    }

    /** Per-channel -mean/std. */
    public float[] shift() {
        float[] s = new float[std.length];
        for (int ch = 0; ch < s.length; ch++) s[ch] = -mean[ch] / std[ch];
        return s;
    }
}
