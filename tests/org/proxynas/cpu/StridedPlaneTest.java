package org.proxynas.cpu;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.SpatialReference;
import org.proxynas.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The stride-2 depthwise forward through phase planes against the plain float loop it replaced: each output summed
 * over its in-bounds taps in tap order, y += w * x from +0. Equal bit for bit (tolerance 0), since the fast path does
 * the same multiplications and additions in the same order and its padding taps add only signed zeros; the
 * conformance suite checks the same kernel against a double reference at a tolerance.
 */
class StridedPlaneTest {
    @Test
    void stride2ForwardEqualsTheTapOrderFloatLoopExactly() {
        Rng rng = new Rng(5);
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            for (int k : new int[] {1, 2, 3, 5}) {
                for (int d : new int[] {1, 2}) {
                    for (int pad = 0; pad <= 4; pad++) {
                        for (int[] hw : new int[][] {{1, 1}, {5, 6}, {7, 7}, {8, 8}, {9, 4}, {14, 14}, {28, 28}}) {
                            int h = hw[0], w = hw[1];
                            if (h + 2 * pad - (k - 1) * d < 1 || w + 2 * pad - (k - 1) * d < 1) continue;
                            ConvGeom g = new ConvGeom(k, 2, pad, d);
                            for (CpuBackend b : new CpuBackend[] {one, two}) check(b, rng, 3, 5, h, w, g);
                        }
                    }
                }
            }
        }
    }

    private static void check(CpuBackend backend, Rng rng, int n, int c, int h, int w, ConvGeom g) {
        float[] x = new float[n * c * h * w], wt = new float[c * g.kernel() * g.kernel()];
        for (int i = 0; i < x.length; i++) x[i] = i % 7 == 0 ? 0f : (float) rng.nextGaussian();
        for (int i = 0; i < wt.length; i++) wt[i] = (float) rng.nextGaussian();
        int ho = g.outSize(h), wo = g.outSize(w);
        float[] expected = new float[n * c * ho * wo];
        SpatialReference.convTaps(n, c, h, w, c, g, true, (xi, wi, yi) -> expected[yi] += wt[wi] * x[xi]);
        Tensor y = backend.allocate(n, c, ho, wo);
        backend.kernels().depthwiseConvForward(backend.fromHost(x, n, c, h, w), backend.fromHost(wt, c, 1, g.kernel(), g.kernel()), y, g);
        assertArrayEquals(expected, y.toHost(), 0f, h + "x" + w + " " + g + " on " + backend.threads() + " threads");
    }
}
