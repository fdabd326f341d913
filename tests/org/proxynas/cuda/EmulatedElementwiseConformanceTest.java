package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA elementwise kernels (cuda/elementwise.cu) under the CPU emulation (libproxynas_emu.so) against the CPU
 * reference; see {@link CudaElementwiseChecks} for the coverage and the tolerances. Skipped when the emulation
 * library was not built (no g++). Plus checks of the emulation itself and of the device pool.
 */
class EmulatedElementwiseConformanceTest extends CudaElementwiseChecks {
    @Override
    CudaBackend createCuda() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built ("
                + EmulatedLauncher.configuredLibrary() + "): g++ missing when native-build/build-cuda.sh ran");
        return CudaBackend.emulated();
    }

    @Test
    void emulationBarriersSharedMemoryShufflesAndAtomicsWork() {
        // selftest_block_sum_f32 (cuda/selftest.cu): static and dynamic shared memory, __syncthreads, both
        // shuffles and atomicAdd. Integer values keep the float sum exact whatever the order.
        Launcher l = cuda.launcher();
        for (int block : new int[]{32, 96, 256}) {
            for (int n : new int[]{1, 33, 1000, 5003}) {
                float[] x = new float[n];
                double expected = 0;
                for (int i = 0; i < n; i++) {
                    x[i] = (i * 7) % 13 - 6;
                    expected += x[i];
                }
                Tensor xs = cuda.fromHost(x, n), out = cuda.allocate(1);
                int grid = Math.min(3, (n + block - 1) / block);
                l.launch("selftest_block_sum_f32", grid, block, 4 * block,
                        new Launcher.Ptr(cuda.address(xs)), new Launcher.Ptr(cuda.address(out)), (long) n);
                assertEquals(expected, out.toHost()[0], 0, "block " + block + ", n " + n);
            }
        }
    }

    @Test
    void badLaunchConfigurationIsAnError() {
        Tensor t = cuda.allocate(8);
        CudaException e = assertThrows(CudaException.class, () -> cuda.launcher().launch("fill_f32", 1, 2048, 0,
                new Launcher.Ptr(cuda.address(t)), 1f, 8L));
        assertTrue(e.getMessage().contains("emu_launch_fill_f32"), e.getMessage());
        assertThrows(CudaException.class, () -> cuda.launcher().launch("no_such_kernel", 1, 32, 0));
    }

    @Test
    void poolReusesFreedBlocks() {
        try (EmulatedLauncher launcher = new EmulatedLauncher()) {
            DevicePool pool = new DevicePool(launcher);
            long c = DevicePool.sizeClass(4000);
            assertEquals(4096, c);
            long p = pool.take(c);
            pool.give(p, c);
            assertEquals(p, pool.take(c), "a freed block is reused");
            pool.take(c);
            assertEquals(2, pool.mallocs());
            assertEquals(256, DevicePool.sizeClass(1));
            assertEquals(80L << 20, DevicePool.sizeClass((64L << 20) + 1));
            pool.close();
        }
    }

    @Test
    void missingLibraryIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EmulatedLauncher(Path.of("target/none.so")));
        assertTrue(e.getMessage().contains("native-build/build-cuda.sh"), e.getMessage());
    }
}
