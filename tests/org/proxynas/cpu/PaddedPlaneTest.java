package org.proxynas.cpu;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The stride-1 depthwise forward (PaddedPlane.convolve: blocks of four vectors, single vectors, a scalar tail)
 * against a plain loop: per output, acc = fma(x, w, acc) from +0 over every tap in row-major order, a padding tap
 * reading +0. Equal bit for bit (tolerance 0), whichever part of the plane an output falls in, for planes from a
 * few outputs (scalar tail only) to 33 x 29 (several four-vector blocks at any vector width up to 16 lanes), on one
 * and two threads. The conformance suite checks the same kernel against a double reference at a tolerance.
 */
class PaddedPlaneTest {
    @Test
    void stride1ForwardEqualsTheTapOrderFmaLoopExactly() {
        Rng rng = new Rng(9);
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            for (int k : new int[] {1, 3, 5}) {
                for (int d : new int[] {1, 2}) {
                    int pad = d * (k - 1) / 2;
                    for (int[] hw : new int[][] {{1, 1}, {2, 3}, {5, 6}, {7, 7}, {14, 14}, {28, 28}, {33, 29}}) {
                        ConvGeom g = new ConvGeom(k, 1, pad, d);
                        for (CpuBackend b : new CpuBackend[] {one, two}) check(b, rng, 2, 3, hw[0], hw[1], g);
                    }
                }
            }
        }
    }

    private static void check(CpuBackend backend, Rng rng, int n, int c, int h, int w, ConvGeom g) {
        int k = g.kernel(), d = g.dilation(), pad = g.padding(), ho = g.outSize(h), wo = g.outSize(w);
        float[] x = new float[n * c * h * w], wt = new float[c * k * k];
        for (int i = 0; i < x.length; i++) x[i] = i % 7 == 0 ? 0f : (float) rng.nextGaussian();
        for (int i = 0; i < wt.length; i++) wt[i] = (float) rng.nextGaussian();
        float[] expected = new float[n * c * ho * wo];
        for (int p = 0; p < n * c; p++) {
            for (int oh = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) {
                    float acc = 0f;
                    for (int ki = 0; ki < k; ki++) {
                        for (int kj = 0; kj < k; kj++) {
                            int ih = oh - pad + ki * d, iw = ow - pad + kj * d;
                            float xv = ih >= 0 && ih < h && iw >= 0 && iw < w ? x[(p * h + ih) * w + iw] : 0f;
                            acc = Math.fma(xv, wt[(p % c * k + ki) * k + kj], acc);
                        }
                    }
                    expected[(p * ho + oh) * wo + ow] = acc;
                }
            }
        }
        Tensor y = backend.allocate(n, c, ho, wo);
        backend.kernels().depthwiseConvForward(backend.fromHost(x, n, c, h, w), backend.fromHost(wt, c, 1, k, k), y, g);
        assertArrayEquals(expected, y.toHost(), 0f, h + "x" + w + " " + g + " on " + backend.threads() + " threads");
    }
}
