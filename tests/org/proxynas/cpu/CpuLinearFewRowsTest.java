package org.proxynas.cpu;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * linearForward below four rows reads w in place (no transposed copy); it must give exactly the bits of the
 * row-block path used for larger batches, so a result never depends on how many rows were computed with it.
 */
class CpuLinearFewRowsTest {
    @Test
    void fewRowsAreBitIdenticalToTheBatchedPath() {
        Random rnd = new Random(301);
        // in and out not multiples of four: the remainder loops of both paths run too.
        int in = 51, out = 43, batch = 8;
        try (CpuBackend cpu = new CpuBackend(2)) {
            float[] xs = random(rnd, batch * in), ws = random(rnd, out * in), bs = random(rnd, out);
            Tensor w = cpu.fromHost(ws, out, in), b = cpu.fromHost(bs, out);
            for (Tensor bias : new Tensor[]{b, null}) {
                Tensor yBatch = cpu.allocate(batch, out);
                cpu.kernels().linearForward(cpu.fromHost(xs, batch, in), w, bias, yBatch);
                float[] all = yBatch.toHost();
                for (int rows = 1; rows < 4; rows++) {
                    float[] x = java.util.Arrays.copyOf(xs, rows * in);
                    Tensor y = cpu.allocate(rows, out);
                    cpu.kernels().linearForward(cpu.fromHost(x, rows, in), w, bias, y);
                    assertArrayEquals(java.util.Arrays.copyOf(all, rows * out), y.toHost(),
                            rows + " rows, bias " + (bias != null));
                }
                // Sanity: the batched path is a linear layer (double-precision reference, fp32 rounding tolerance).
                for (int o = 0; o < out; o++) {
                    double ref = bias == null ? 0 : bs[o];
                    for (int t = 0; t < in; t++) ref += (double) xs[t] * ws[o * in + t];
                    assertEquals(ref, all[o], 1e-4, "row 0 output " + o);
                }
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
