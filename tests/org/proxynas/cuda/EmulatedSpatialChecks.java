package org.proxynas.cuda;

import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared harness of the emulated conformance suites of the kernel families: runs one kernel call on the CUDA
 * backend (emulated, libproxynas_emu.so; a real GPU where a Gpu* subclass overrides {@link #createCuda()}) and on
 * the CPU reference over the same random inputs and compares every tensor afterwards (inputs too, so a kernel that
 * writes where it must not is caught). Skipped when the emulation library was not built.
 */
abstract class EmulatedSpatialChecks extends CudaAgainstCpu {
    /** The backend under test: the emulation here; a real GPU in the Gpu* subclasses. */
    CudaBackend createCuda() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built ("
                + EmulatedLauncher.configuredLibrary() + "): g++ missing when native-build/build-cuda.sh ran");
        return CudaBackend.emulated();
    }

    /** How inputs are drawn: gaussian, or quantised to halves in [-2, 2] (many ties, for max pool). */
    enum Values { GAUSSIAN, TIES, POSITIVE }

    static float[] values(Random rnd, int n, Values kind) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case GAUSSIAN -> (float) (rnd.nextGaussian() * 2);
                case TIES -> (rnd.nextInt(9) - 4) / 2f;
                case POSITIVE -> 0.5f + rnd.nextFloat();
            };
        }
        return v;
    }

    /**
     * Runs op on both backends over tensors of the given shapes (null: the op receives null there) and compares
     * them all: bit-exact (NaN equal to NaN) when rtol = atol = 0, else |cuda - cpu| <= atol + rtol * |cpu|.
     */
    void compare(String what, int[][] shapes, Values kind, double rtol, double atol, BiConsumer<Kernels, Tensor[]> op) {
        Random rnd = new Random(what.hashCode() * 31L + Arrays.deepHashCode(shapes));
        Tensor[] c = new Tensor[shapes.length], r = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i] == null) continue;
            float[] data = values(rnd, (int) Tensor.elementCount(shapes[i]), kind);
            c[i] = cuda.fromHost(data, shapes[i]);
            r[i] = cpu.fromHost(data, shapes[i]);
        }
        op.accept(cpu.kernels(), r);
        op.accept(cuda.kernels(), c);
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i] == null) continue;
            float[] expected = r[i].toHost(), actual = c[i].toHost();
            for (int j = 0; j < expected.length; j++) {
                float e = expected[j], a = actual[j];
                boolean ok = (e != e && a != a)
                        || (rtol == 0 && atol == 0 ? Float.floatToIntBits(e) == Float.floatToIntBits(a)
                                                   : Math.abs((double) a - e) <= atol + rtol * Math.abs(e));
                if (!ok) fail(what + " tensor " + i + " " + Arrays.toString(shapes[i]) + " element " + j
                        + ": cpu " + e + ", cuda " + a);
            }
        }
    }
}
