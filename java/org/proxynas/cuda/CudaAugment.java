package org.proxynas.cuda;

import org.proxynas.tensor.AugmentKernels;
import org.proxynas.tensor.AugmentPlan;
import org.proxynas.tensor.Tensor;

/** Augmentation on CUDA (cuda/augment.cu), as {@code CpuAugment} on the CPU: one thread per output element. */
final class CudaAugment implements AugmentKernels {
    private final Launches l;

    CudaAugment(Launches launches) { this.l = launches; }

    /** The plan's per-row ints and per-channel scale/shift travel in a small device buffer. */
    @Override public void augment(Tensor source, AugmentPlan plan, Tensor out) {
        AugmentPlan.check(l.backend(), source, plan, out);
        int c = source.c(), h = source.h(), w = source.w(), b = plan.batch(), pad = plan.pad(), cut = plan.cutout();
        int[] idx = plan.indices(), cy = plan.cropY(), cx = plan.cropX(), ky = plan.cutY(), kx = plan.cutX();
        boolean[] flip = plan.flip();
        // layout: 6 ints per batch row (as float bit patterns, read as int by the kernel), then scale[c], shift[c]
        float[] buf = new float[6 * b + 2 * c];
        System.arraycopy(plan.scale(), 0, buf, 6 * b, c);
        System.arraycopy(plan.shift(), 0, buf, 6 * b + c, c);
        if (b == 0) return;
        for (int r = 0; r < b; r++) {
            int[] row = {idx[r], cy[r], cx[r], flip[r] ? 1 : 0, ky[r], kx[r]};
            for (int i = 0; i < 6; i++) buf[6 * r + i] = Float.intBitsToFloat(row[i]);
        }
        Tensor dev = l.upload(buf);
        long base = l.backend().address(dev);
        l.perThread("augment_f32", (long) b * c * h * w, l.ptr(source), new Launcher.Ptr(base),
                new Launcher.Ptr(base + 4L * 6 * b), l.ptr(out), b, c, h, w, pad, cut);
        java.lang.ref.Reference.reachabilityFence(dev);  // its pool block must not be reused before the launch is queued
    }
}
