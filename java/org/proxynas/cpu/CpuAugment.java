package org.proxynas.cpu;

import org.proxynas.tensor.*;

/** CPU kernels: data augmentation (pad, crop, flip, normalise, cutout) of stored images into a batch. */
final class CpuAugment {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuAugment(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** See {@link AugmentPlan}: one task per batch row. */
    void augment(Tensor source, AugmentPlan plan, Tensor out) {
        Checks.notNull("plan", plan);
        Checks.rank("source", source, 4);
        Checks.sameBackend(backend, "source", source);
        Checks.sameBackend(backend, "out", out);
        final int m = source.n(), c = source.c(), h = source.h(), w = source.w(), b = plan.batch();
        Checks.shape("out", out, b, c, h, w);
        if (plan.mean().length != c) {
            throw new IllegalArgumentException("plan.mean and plan.std must have one entry per channel (" + c + "), got " + plan.mean().length);
        }
        final int pad = plan.pad(), cut = plan.cutout();
        final int[] idx = plan.indices(), cy = plan.cropY(), cx = plan.cropX(), ky = plan.cutY(), kx = plan.cutX();
        final boolean[] flip = plan.flip();
        for (int r = 0; r < b; r++) {
            if (idx[r] < 0 || idx[r] >= m) Checks.range("plan.indices[" + r + "] (batch row " + r + ")", idx[r], 0, m - 1);
            if (cy[r] < 0 || cy[r] > 2 * pad) Checks.range("plan.cropY[" + r + "] (batch row " + r + ")", cy[r], 0, 2 * pad);
            if (cx[r] < 0 || cx[r] > 2 * pad) Checks.range("plan.cropX[" + r + "] (batch row " + r + ")", cx[r], 0, 2 * pad);
            if (cut > 0 && (ky[r] < 0 || ky[r] >= h)) Checks.range("plan.cutY[" + r + "] (batch row " + r + ")", ky[r], 0, h - 1);
            if (cut > 0 && (kx[r] < 0 || kx[r] >= w)) Checks.range("plan.cutX[" + r + "] (batch row " + r + ")", kx[r], 0, w - 1);
        }
        final float[] scale = new float[c], shift = new float[c];
        float[] mean = plan.mean(), std = plan.std();
        for (int ch = 0; ch < c; ch++) {
            Checks.positive("plan.std[" + ch + "]", std[ch]);
            scale[ch] = 1f / (255f * std[ch]);
            shift[ch] = -mean[ch] / std[ch];
        }
        final float[] src = CpuBackend.data(source), dst = CpuBackend.data(out);
        final int plane = h * w;
        parallel.forEach(b, r -> {
            int img = idx[r];
            boolean mirror = flip[r];
            int oy = cy[r] - pad, ox = cx[r] - pad;
            for (int ch = 0; ch < c; ch++) {
                float s = scale[ch], t = shift[ch];
                int in = (img * c + ch) * plane;
                int o = (r * c + ch) * plane;
                for (int y = 0; y < h; y++) {
                    int sy = oy + y;
                    int orow = o + y * w;
                    if (sy < 0 || sy >= h) {
                        for (int x = 0; x < w; x++) dst[orow + x] = t;
                        continue;
                    }
                    int irow = in + sy * w;
                    for (int x = 0; x < w; x++) {
                        int sx = ox + (mirror ? w - 1 - x : x);
                        dst[orow + x] = sx >= 0 && sx < w ? src[irow + sx] * s + t : t;
                    }
                }
                if (cut > 0) {
                    int y0 = Math.max(0, ky[r] - cut / 2), y1 = Math.min(h, ky[r] - cut / 2 + cut);
                    int x0 = Math.max(0, kx[r] - cut / 2), x1 = Math.min(w, kx[r] - cut / 2 + cut);
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) dst[o + y * w + x] = 0f;
                    }
                }
            }
        });
    }
}
