package org.proxynas.cpu;

import org.proxynas.tensor.*;
import org.proxynas.tensor.AugmentKernels;

/** CPU kernels: data augmentation (pad, crop, flip, normalise, cutout) of stored images into a batch. */
final class CpuAugment implements AugmentKernels {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuAugment(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** See {@link AugmentPlan}: one task per batch row. */
    @Override public void augment(Tensor source, AugmentPlan plan, Tensor out) {
        AugmentPlan.check(backend, source, plan, out);
        final int c = source.c(), h = source.h(), w = source.w(), b = plan.batch();
        final int pad = plan.pad(), cut = plan.cutout();
        final int[] idx = plan.indices(), cy = plan.cropY(), cx = plan.cropX(), ky = plan.cutY(), kx = plan.cutX();
        final boolean[] flip = plan.flip();
        final float[] scale = plan.scale(), shift = plan.shift();
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
