package org.proxynas.cpu;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ElementwiseConformance;
import org.proxynas.tensor.GradCheck;
import org.proxynas.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The elementwise conformance suite on the CPU reference backend (two threads, so the parallel paths run), plus
 * two CPU-specific checks: the dropout mask follows the documented hash exactly (the formula a CUDA kernel must
 * reproduce), and results do not depend on the thread count.
 */
class CpuElementwiseConformanceTest extends ElementwiseConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }

    @Test
    void dropoutMaskIsTheDocumentedHash() {
        // splitmix64 reference values for state 0 (first output of the generator seeded with 0).
        assertEquals(0xE220A8397B1DCDAFL, CpuElementwise.splitmix64(0L));
        long seed = 0x1234_5678_9ABCL;
        float p = 0.25f;
        Tensor x = backend.fromHost(new float[1000], 1000);
        Tensor mask = backend.allocate(1000);
        k.dropout(x, x, mask, p, seed);
        float[] m = mask.toHost();
        for (int i = 0; i < 1000; i++) {
            long z = CpuElementwise.splitmix64(seed ^ (i * 0x9E3779B97F4A7C15L));
            float u = (z >>> 40) * 0x1.0p-24f;
            assertEquals(u < p ? 0f : 1f / (1f - p), m[i], "mask entry " + i);
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Random rnd = new Random(99);
        int n = 100_000;
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++) { a[i] = (float) rnd.nextGaussian(); b[i] = (float) rnd.nextGaussian(); }
            double d1 = one.kernels().dot(one.fromHost(a, n), one.fromHost(b, n));
            double d2 = two.kernels().dot(two.fromHost(a, n), two.fromHost(b, n));
            assertEquals(Double.doubleToLongBits(d1), Double.doubleToLongBits(d2));
            Tensor x1 = GradCheck.randn(one, new Random(5), 300, 64), dy1 = GradCheck.randn(one, new Random(6), 300, 48);
            Tensor x2 = GradCheck.randn(two, new Random(5), 300, 64), dy2 = GradCheck.randn(two, new Random(6), 300, 48);
            Tensor dw1 = one.allocate(48, 64), dw2 = two.allocate(48, 64);
            one.kernels().linearBackwardParams(x1, dy1, dw1, null);
            two.kernels().linearBackwardParams(x2, dy2, dw2, null);
            assertArrayEquals(dw1.toHost(), dw2.toHost());
        }
    }
}
