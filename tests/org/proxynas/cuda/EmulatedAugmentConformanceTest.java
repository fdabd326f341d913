package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.AugmentPlan;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * cuda/augment.cu under emulation against the CPU reference (CpuAugment), <b>bit-exact</b>: pad 0, 2 and 5 (wider
 * than half the image), crops over the whole [0, 2*pad] range, flips, cutout 0, even and odd sides with centres at
 * the borders, repeated source indices, odd image sizes; and the argument checks with the CPU's messages.
 */
class EmulatedAugmentConformanceTest extends EmulatedSpatialChecks {
    private static AugmentPlan plan(Random rnd, int m, int b, int c, int h, int w, int pad, int cut) {
        int[] idx = new int[b], cy = new int[b], cx = new int[b], ky = new int[b], kx = new int[b];
        boolean[] flip = new boolean[b];
        for (int r = 0; r < b; r++) {
            idx[r] = rnd.nextInt(m);
            cy[r] = r == 0 ? 0 : r == 1 ? 2 * pad : rnd.nextInt(2 * pad + 1);
            cx[r] = r == 0 ? 2 * pad : r == 1 ? 0 : rnd.nextInt(2 * pad + 1);
            flip[r] = rnd.nextBoolean();
            ky[r] = r == 0 ? 0 : r == 1 ? h - 1 : rnd.nextInt(h);
            kx[r] = r == 0 ? w - 1 : r == 1 ? 0 : rnd.nextInt(w);
        }
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = 0.3f + 0.17f * ch;
            std[ch] = 0.2f + 0.05f * ch;
        }
        if (c > 1) mean[1] = 0f;   // shift -0f
        return new AugmentPlan(idx, pad, cy, cx, flip, cut, ky, kx, mean, std);
    }

    private static float[] pixels(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i % 7 == 0 ? rnd.nextFloat() * 255f : rnd.nextInt(256);
        return v;
    }

    @Test
    void matchesCpuBitExact() {
        Random rnd = new Random(42);
        int[][] shapes = {{5, 3, 9, 11}, {2, 1, 7, 7}, {4, 3, 8, 6}};
        for (int[] s : shapes) {
            for (int pad : new int[]{0, 2, 5}) {
                for (int cut : new int[]{0, 1, 3, 4, 16}) {
                    int m = s[0], c = s[1], h = s[2], w = s[3], b = 7;
                    AugmentPlan p = plan(rnd, m, b, c, h, w, pad, cut);
                    float[] src = pixels(rnd, m * c * h * w);
                    Tensor cs = cuda.fromHost(src, s), rs = cpu.fromHost(src, s);
                    Tensor co = cuda.fromHost(new float[b * c * h * w], b, c, h, w), ro = cpu.allocate(b, c, h, w);
                    cpu.kernels().augment(rs, p, ro);
                    cuda.kernels().augment(cs, p, co);
                    float[] e = ro.toHost(), a = co.toHost();
                    for (int i = 0; i < e.length; i++) {
                        if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                            throw new AssertionError("augment " + java.util.Arrays.toString(s) + " pad " + pad + " cut "
                                    + cut + " element " + i + ": cpu " + e[i] + ", cuda " + a[i]);
                        }
                    }
                }
            }
        }
    }

    /** The same exception type and message on both backends. */
    private void sameError(Function<Backend, Runnable> call) {
        Exception e = assertThrows(RuntimeException.class, () -> call.apply(cpu).run());
        Exception a = assertThrows(RuntimeException.class, () -> call.apply(cuda).run());
        assertEquals(e.getClass(), a.getClass());
        assertEquals(e.getMessage(), a.getMessage());
    }

    @Test
    void badArgumentsAreRejectedAsOnCpu() {
        int[] one = {0}, zero = {0};
        boolean[] f = {false};
        float[] m3 = {0.5f, 0.5f, 0.5f}, s3 = {0.2f, 0.2f, 0.2f};
        AugmentPlan badIndex = new AugmentPlan(new int[]{3}, 1, one, zero, f, 0, zero, zero, m3, s3);
        AugmentPlan badCrop = new AugmentPlan(one, 1, new int[]{3}, zero, f, 0, zero, zero, m3, s3);
        AugmentPlan badCropX = new AugmentPlan(one, 1, zero, new int[]{-1}, f, 0, zero, zero, m3, s3);
        AugmentPlan badCut = new AugmentPlan(one, 1, zero, zero, f, 2, new int[]{5}, zero, m3, s3);
        AugmentPlan badCutX = new AugmentPlan(one, 1, zero, zero, f, 2, zero, new int[]{-2}, m3, s3);
        AugmentPlan badMean = new AugmentPlan(one, 1, zero, zero, f, 0, zero, zero, new float[]{1, 2}, new float[]{1, 2});
        AugmentPlan badStd = new AugmentPlan(one, 1, zero, zero, f, 0, zero, zero, m3, new float[]{0.2f, 0f, 0.2f});
        for (AugmentPlan p : new AugmentPlan[]{badIndex, badCrop, badCropX, badCut, badCutX, badMean, badStd}) {
            sameError(bk -> () -> bk.kernels().augment(bk.allocate(3, 3, 5, 5), p, bk.allocate(1, 3, 5, 5)));
        }
        AugmentPlan ok = new AugmentPlan(one, 1, zero, zero, f, 0, zero, zero, m3, s3);
        sameError(bk -> () -> bk.kernels().augment(bk.allocate(3, 3, 5, 5), null, bk.allocate(1, 3, 5, 5)));
        sameError(bk -> () -> bk.kernels().augment(bk.allocate(3, 3, 5, 5), ok, bk.allocate(2, 3, 5, 5)));
        sameError(bk -> () -> bk.kernels().augment(bk.allocate(3, 75), ok, bk.allocate(1, 3, 5, 5)));
    }
}
