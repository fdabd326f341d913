package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.Random;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The elementwise kernels the CUDA backend implements (relu, reluBackward, sigmoid, sigmoidBackward, fill, axpy,
 * scale, mul), each run on the same inputs by the CUDA backend and the CPU reference, on shapes of rank 1 to 4
 * with odd sizes (1, 7, 255, 257, 4099, 65537 elements: partial blocks and grid-stride wrap-around), both
 * accumulate modes, and special values (NaN, +-0, +-infinity, subnormals).
 *
 * <p>Tolerance: <b>bit-exact</b> for every kernel but sigmoid (the kernels round each product with __fmul_rn, as
 * Java does, and reproduce Math.max's NaN and signed-zero rules); sigmoid within <b>1e-6 absolute</b> (fp32 expf
 * against the reference's double exp rounded once; the conformance suite's documented sigmoid tolerance).
 *
 * <p>These bit-exact special-value checks complement the abstract ElementwiseConformance suite (which both
 * Emulated/GpuElementwiseSuiteTest run on CUDA, weightedSum, dropout, dot and copyChannels included) with its
 * per-kernel tolerances.
 */
abstract class CudaElementwiseChecks extends CudaAgainstCpu {
    static final int[][] SHAPES = {{1}, {7}, {255}, {3, 1, 5, 17}, {257}, {4099}, {2, 3, 7, 11}, {65537}, {16, 4096}};

    static float[] values(Random rnd, int n, boolean special) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * 3);
        if (special) {
            float[] s = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f};
            for (int i = 0; i < Math.min(n, s.length); i++) v[(int) ((long) i * 2654435761L % n)] = s[i];
        }
        return v;
    }

    /** Runs op on both backends over the same inputs (the last input is also the initial output) and compares. */
    private void compare(String what, int[] shape, int inputs, boolean special, double atol, BiConsumer<Kernels, Tensor[]> op) {
        int n = (int) Tensor.elementCount(shape);
        Random rnd = new Random(31L * n + what.hashCode());
        float[][] data = new float[inputs][];
        for (int i = 0; i < inputs; i++) data[i] = values(rnd, n, special);
        Tensor[] c = new Tensor[inputs], r = new Tensor[inputs];
        for (int i = 0; i < inputs; i++) {
            c[i] = cuda.fromHost(data[i], shape);
            r[i] = cpu.fromHost(data[i], shape);
        }
        op.accept(cuda.kernels(), c);
        op.accept(cpu.kernels(), r);
        for (int i = 0; i < inputs; i++) {
            float[] expected = r[i].toHost(), actual = c[i].toHost();
            String where = what + " " + java.util.Arrays.toString(shape) + " tensor " + i;
            if (atol == 0) {
                for (int j = 0; j < n; j++) {
                    if (Float.floatToIntBits(expected[j]) != Float.floatToIntBits(actual[j])) {
                        fail(where + " element " + j + ": expected " + expected[j] + " got " + actual[j]);
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    assertEquals(expected[j], actual[j], atol, where + " element " + j);
                }
            }
        }
    }

    @Test
    void reluMatchesReferenceBitForBit() {
        for (int[] s : SHAPES) {
            compare("relu", s, 2, true, 0, (k, t) -> k.relu(t[0], t[1]));
            compare("relu in place", s, 1, true, 0, (k, t) -> k.relu(t[0], t[0]));
        }
    }

    @Test
    void reluBackwardMatchesReferenceBitForBit() {
        for (int[] s : SHAPES) {
            for (boolean acc : new boolean[]{false, true}) {
                compare("reluBackward acc=" + acc, s, 3, false, 0, (k, t) -> k.reluBackward(t[0], t[1], t[2], acc));
            }
        }
    }

    @Test
    void sigmoidWithin1e6() {
        for (int[] s : SHAPES) compare("sigmoid", s, 2, false, 1e-6, (k, t) -> k.sigmoid(t[0], t[1]));
        // Saturation and the special values, compared the same way (NaN to NaN, infinities to 0 and 1).
        compare("sigmoid special", new int[]{4099}, 2, true, 1e-6, (k, t) -> k.sigmoid(t[0], t[1]));
    }

    @Test
    void sigmoidBackwardMatchesReferenceBitForBit() {
        for (int[] s : SHAPES) {
            for (boolean acc : new boolean[]{false, true}) {
                compare("sigmoidBackward acc=" + acc, s, 3, false, 0, (k, t) -> k.sigmoidBackward(t[0], t[1], t[2], acc));
            }
        }
    }

    @Test
    void fillAxpyScaleMulMatchReferenceBitForBit() {
        for (int[] s : SHAPES) {
            compare("fill", s, 1, false, 0, (k, t) -> k.fill(t[0], -2.5f));
            compare("axpy", s, 2, true, 0, (k, t) -> k.axpy(0.37f, t[0], t[1]));
            compare("scale", s, 1, true, 0, (k, t) -> k.scale(t[0], -1.7f));
            for (boolean acc : new boolean[]{false, true}) {
                compare("mul acc=" + acc, s, 3, true, 0, (k, t) -> k.mul(t[0], t[1], t[2], acc));
            }
        }
        compare("mul aliased", new int[]{1000}, 1, false, 0, (k, t) -> k.mul(t[0], t[0], t[0], false));
    }

    @Test
    void allocateZeroesAndCopiesRoundTrip() {
        Random rnd = new Random(3);
        float[] v = values(rnd, 4099, true);
        Tensor a = cuda.fromHost(v, 4099);
        assertArrayEquals(v, a.toHost());
        Tensor b = cuda.allocate(4099);
        assertArrayEquals(new float[4099], b.toHost());
        cuda.copy(a, b);
        assertArrayEquals(v, b.toHost());
        assertArrayEquals(v, b.reshape(1, 4099).toHost(), "a view shares the buffer");
    }

    @Test
    void rejectsForeignTensors() {
        // shapes are the shared checks' (ElementwiseConformance, on every backend); a tensor of another backend has
        // no device address, which only the backend can tell
        Kernels k = cuda.kernels();
        Tensor a = cuda.allocate(2, 3);
        Tensor host = cpu.allocate(2, 3);
        assertThrows(IllegalArgumentException.class, () -> k.relu(host, a));
        assertThrows(IllegalArgumentException.class, () -> cuda.copyFromHost(new float[5], a));
    }
}
