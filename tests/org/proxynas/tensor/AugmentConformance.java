package org.proxynas.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conformance of {@link Kernels#augment} against a naive reference that builds the padded image explicitly, crops,
 * mirrors, normalises and cuts out, following {@link AugmentPlan}'s definition step by step.
 */
public abstract class AugmentConformance extends KernelSuite {
    private static final int M = 3, C = 2, H = 5, W = 6;
    private static final float[] MEAN = {0.4f, 0.55f}, STD = {0.25f, 0.3f};

    /** Integer pixel values 0..255; image m's values are distinct enough to tell images, channels and positions apart. */
    private static float[] pixels(Random rnd, int m, int c, int h, int w) {
        float[] p = new float[m * c * h * w];
        for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(256);
        return p;
    }

    /** The reference: explicit padded image (in normalised space), crop, flip, cutout; all in double. */
    static double[] reference(float[] src, int m, int c, int h, int w, AugmentPlan plan) {
        int b = plan.batch(), pad = plan.pad();
        int ph = h + 2 * pad, pw = w + 2 * pad;
        double[] out = new double[b * c * h * w];
        for (int r = 0; r < b; r++) {
            for (int ch = 0; ch < c; ch++) {
                double mean = plan.mean()[ch], std = plan.std()[ch];
                double[][] padded = new double[ph][pw];
                for (int y = 0; y < ph; y++) {
                    for (int x = 0; x < pw; x++) {
                        boolean inside = y >= pad && y < pad + h && x >= pad && x < pad + w;
                        double p = inside ? src[((plan.indices()[r] * c + ch) * h + (y - pad)) * w + (x - pad)] : 0;
                        padded[y][x] = (p / 255.0 - mean) / std;
                    }
                }
                double[][] crop = new double[h][w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) crop[y][x] = padded[plan.cropY()[r] + y][plan.cropX()[r] + x];
                }
                if (plan.flip()[r]) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w / 2; x++) {
                            double t = crop[y][x];
                            crop[y][x] = crop[y][w - 1 - x];
                            crop[y][w - 1 - x] = t;
                        }
                    }
                }
                int L = plan.cutout();
                if (L > 0) {
                    int top = plan.cutY()[r] - L / 2, left = plan.cutX()[r] - L / 2;
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            if (y >= top && y < top + L && x >= left && x < left + L) crop[y][x] = 0;
                        }
                    }
                }
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) out[((r * c + ch) * h + y) * w + x] = crop[y][x];
                }
            }
        }
        return out;
    }

    private float[] run(float[] src, int m, int c, int h, int w, AugmentPlan plan) {
        Tensor source = backend.fromHost(src, m, c, h, w);
        float[] nan = new float[plan.batch() * c * h * w];
        java.util.Arrays.fill(nan, Float.NaN); // every element must be written
        Tensor out = backend.fromHost(nan, plan.batch(), c, h, w);
        backend.kernels().augment(source, plan, out);
        return out.toHost();
    }

    private static AugmentPlan plan(int[] idx, int pad, int[] cy, int[] cx, boolean[] flip, int cut, int[] ky, int[] kx) {
        return new AugmentPlan(idx, pad, cy, cx, flip, cut, ky, kx, MEAN, STD);
    }

    private static float at(float[] out, int r, int ch, int y, int x) { return out[((r * C + ch) * H + y) * W + x]; }

    @Test
    void cropAtCornersAndFlipMatchReference() {
        float[] src = pixels(new Random(1), M, C, H, W);
        // rows: top-left corner, bottom-right corner + flip, centre (identity), centre + flip, top-right, bottom-left + flip
        AugmentPlan p = plan(new int[] {0, 2, 1, 1, 0, 2}, 2,
                new int[] {0, 4, 2, 2, 0, 4}, new int[] {0, 4, 2, 2, 4, 0},
                new boolean[] {false, true, false, true, false, true}, 0, new int[6], new int[6]);
        float[] out = run(src, M, C, H, W, p);
        GradCheck.assertClose("augment (crop/flip)", reference(src, M, C, H, W, p), out, 1e-5, 1e-5);

        for (int ch = 0; ch < C; ch++) {
            float padValue = (0 - MEAN[ch]) / STD[ch];
            // top-left crop: the first two rows and columns are padding
            assertEquals(padValue, at(out, 0, ch, 0, 0), 1e-6, "padding is (0 - mean)/std");
            assertEquals(padValue, at(out, 0, ch, 1, W - 1), 1e-6);
            assertEquals(padValue, at(out, 0, ch, H - 1, 1), 1e-6);
            assertEquals((src[((0 * C + ch) * H) * W] / 255f - MEAN[ch]) / STD[ch], at(out, 0, ch, 2, 2), 1e-5,
                    "source (0,0) lands at (pad, pad) of a top-left crop");
            // centre crop without flip is the normalised image; with flip its mirror
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    float v = src[((1 * C + ch) * H + y) * W + x];
                    assertEquals((v / 255f - MEAN[ch]) / STD[ch], at(out, 2, ch, y, x), 1e-5, "identity crop");
                    assertEquals((v / 255f - MEAN[ch]) / STD[ch], at(out, 3, ch, y, W - 1 - x), 1e-5, "mirrored crop");
                }
            }
            // bottom-right crop, flipped: the last two rows are padding; after the flip the first two columns are
            assertEquals(padValue, at(out, 1, ch, H - 1, 3), 1e-6);
            assertEquals(padValue, at(out, 1, ch, 0, 0), 1e-6);
            assertEquals(padValue, at(out, 1, ch, 0, 1), 1e-6);
            assertEquals((src[((2 * C + ch) * H + H - 1) * W + W - 1] / 255f - MEAN[ch]) / STD[ch], at(out, 1, ch, H - 3, 2), 1e-5,
                    "source (H-1,W-1) sits at (H-3, 2) of a flipped bottom-right crop");
        }
    }

    @Test
    void cutoutAtTheBorderIsClipped() {
        float[] src = pixels(new Random(2), M, C, H, W);
        for (int cut : new int[] {3, 4}) {
            // centres: top-left corner, bottom-right corner, left edge middle, interior
            AugmentPlan p = plan(new int[] {0, 1, 2, 0}, 1, new int[] {1, 0, 2, 1}, new int[] {1, 2, 0, 1},
                    new boolean[] {false, true, false, true}, cut, new int[] {0, H - 1, 2, 2}, new int[] {0, W - 1, 0, 3});
            float[] out = run(src, M, C, H, W, p);
            GradCheck.assertClose("augment (cutout " + cut + ")", reference(src, M, C, H, W, p), out, 1e-5, 1e-5);
            int half = cut / 2;
            for (int ch = 0; ch < C; ch++) {
                // top-left centre: rows/cols [-half, cut-half) clipped to [0, cut-half)
                for (int y = 0; y < cut - half; y++) {
                    for (int x = 0; x < cut - half; x++) assertEquals(0f, at(out, 0, ch, y, x), "cutout zero at (" + y + "," + x + ")");
                }
                assertNotEquals(0f, at(out, 0, ch, cut - half, 0), "row below the clipped cutout is untouched");
                // bottom-right centre: rows [H-1-half, H) zero, the row above not
                assertEquals(0f, at(out, 1, ch, H - 1, W - 1));
                assertEquals(0f, at(out, 1, ch, H - 1 - half, W - 1 - half));
                assertNotEquals(0f, at(out, 1, ch, H - 2 - half, W - 1));
            }
        }
    }

    @Test
    void randomPlansMatchReference() {
        Random rnd = new Random(3);
        int m = 7, c = 3, h = 9, w = 8, b = 33;
        float[] src = pixels(rnd, m, c, h, w);
        for (int trial = 0; trial < 3; trial++) {
            int pad = trial, cut = trial == 0 ? 0 : 2 + trial;
            int[] idx = new int[b], cy = new int[b], cx = new int[b], ky = new int[b], kx = new int[b];
            boolean[] flip = new boolean[b];
            for (int r = 0; r < b; r++) {
                idx[r] = rnd.nextInt(m);
                cy[r] = rnd.nextInt(2 * pad + 1);
                cx[r] = rnd.nextInt(2 * pad + 1);
                flip[r] = rnd.nextBoolean();
                ky[r] = rnd.nextInt(h);
                kx[r] = rnd.nextInt(w);
            }
            AugmentPlan p = new AugmentPlan(idx, pad, cy, cx, flip, cut, ky, kx, new float[] {0.49f, 0.48f, 0.45f},
                    new float[] {0.247f, 0.243f, 0.262f});
            GradCheck.assertClose("augment (random plan " + trial + ")", reference(src, m, c, h, w, p), run(src, m, c, h, w, p), 1e-5, 1e-5);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor source = backend.allocate(M, C, H, W);
        Tensor out = backend.allocate(2, C, H, W);
        AugmentPlan ok = plan(new int[] {0, 1}, 1, new int[2], new int[2], new boolean[2], 0, new int[2], new int[2]);
        backend.kernels().augment(source, ok, out);

        AugmentPlan badIndex = plan(new int[] {0, M}, 1, new int[2], new int[2], new boolean[2], 0, new int[2], new int[2]);
        var e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, badIndex, out));
        assertTrue(e.getMessage().contains("indices[1]") && e.getMessage().contains("batch row 1"), e.getMessage());

        AugmentPlan badCrop = plan(new int[] {0, 1}, 1, new int[] {3, 0}, new int[2], new boolean[2], 0, new int[2], new int[2]);
        e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, badCrop, out));
        assertTrue(e.getMessage().contains("cropY[0]") && e.getMessage().contains("batch row 0"), e.getMessage());

        AugmentPlan badCut = plan(new int[] {0, 1}, 1, new int[2], new int[2], new boolean[2], 2, new int[] {0, H}, new int[2]);
        e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, badCut, out));
        assertTrue(e.getMessage().contains("cutY[1]"), e.getMessage());

        Tensor wrongOut = backend.allocate(2, C, H + 1, W);
        e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, ok, wrongOut));
        assertTrue(e.getMessage().startsWith("out must have shape [2, 2, 5, 6]"), e.getMessage());

        Tensor wrongBatch = backend.allocate(3, C, H, W);
        assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, ok, wrongBatch));

        e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(backend.allocate(M, C * H, W), ok, out));
        assertTrue(e.getMessage().startsWith("source must have rank 4"), e.getMessage());

        AugmentPlan threeChannels = new AugmentPlan(new int[] {0, 1}, 1, new int[2], new int[2], new boolean[2], 0, new int[2],
                new int[2], new float[] {0, 0, 0}, new float[] {1, 1, 1});
        e = assertThrows(IllegalArgumentException.class, () -> backend.kernels().augment(source, threeChannels, out));
        assertTrue(e.getMessage().contains("one entry per channel (2)"), e.getMessage());
    }
}
