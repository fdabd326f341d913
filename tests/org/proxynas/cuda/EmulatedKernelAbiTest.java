package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one kernel-argument ABI under emulation: the arguments reach the kernels through the same packing the driver
 * uses, a mistyped argument fails before anything runs (before, an int passed for a {@code long long} was
 * converted by the emulation's entry point and passed every test, to read garbage on a GPU), launch bounds are
 * enforced, and the table in the jar (what the driver packs by) is the one the compiled kernels declare.
 */
class EmulatedKernelAbiTest {
    private CudaBackend cuda;

    @BeforeEach
    void open() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
    }

    @AfterEach
    void close() {
        if (cuda != null) cuda.close();
    }

    private Launcher.Ptr ptr(Tensor t) { return new Launcher.Ptr(cuda.address(t)); }

    @Test
    void aMistypedArgumentFailsAndNothingRuns() {
        Tensor t = cuda.fromHost(new float[]{1, 2, 3, 4}, 4);
        Launcher l = cuda.launcher();
        // fill_f32(float *t, float value, long long n): n given as an int
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.launch("fill_f32", 1, 256, 0, ptr(t), 9f, 4));
        assertTrue(e.getMessage().contains("fill_f32: parameter 3 is long long"), e.getMessage());
        // relu_backward_f32(..., long long n, int accumulate): accumulate given as a long
        e = assertThrows(IllegalArgumentException.class, () -> l.launch("relu_backward_f32", 1, 256, 0, ptr(t), ptr(t),
                ptr(t), 4L, 0L));
        assertTrue(e.getMessage().contains("relu_backward_f32: parameter 5 is int"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> l.launch("fill_f32", 1, 256, 0, ptr(t), 9.0, 4L));
        assertTrue(e.getMessage().contains("parameter 2 is float"), e.getMessage());
        assertArrayEquals(new float[]{1, 2, 3, 4}, t.toHost(), "a refused launch wrote nothing");
        l.launch("fill_f32", 1, 256, 0, ptr(t), 9f, 3L);
        assertArrayEquals(new float[]{9, 9, 9, 4}, t.toHost(), "the correctly typed launch fills exactly n elements");
    }

    @Test
    void launchBoundsAreEnforced() {
        Tensor x = cuda.allocate(4), y = cuda.allocate(4);
        assertEquals(128, cuda.launcher().abi().threads("global_avgpool_forward_f32"));
        CudaException e = assertThrows(CudaException.class, () -> cuda.launcher().launch("global_avgpool_forward_f32",
                1, 256, 0, ptr(x), ptr(y), 4L, 1));
        assertTrue(e.getMessage().contains("__launch_bounds__"), e.getMessage());
        cuda.launcher().launch("global_avgpool_forward_f32", 1, 128, 0, ptr(x), ptr(y), 4L, 1);
    }

    @Test
    void dynamicSharedMemoryAbove48KiBNeedsTheOptIn() {
        Launcher l = cuda.launcher();
        Object[] args = new Object[19];  // relu_dw_pw_backward_dz_f32: 6 pointers, 12 ints, 1 long long
        for (int i = 0; i < 19; i++) args[i] = i < 6 ? new Launcher.Ptr(0) : i < 18 ? (Object) 0 : (Object) 0L;
        CudaException e = assertThrows(CudaException.class,
                () -> l.launch("relu_dw_pw_backward_dz_f32", 1, 128, 60_000, args));
        assertTrue(e.getMessage().contains("dynamic shared memory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.optInShared("relu_dw_pw_backward_dz_f32", 300_000),
                "above the emulated device's opt-in limit");
        // opted in, the same launch runs (n = 0 images: no tile to work on, so the null pointers are never read)
        l.optInShared("relu_dw_pw_backward_dz_f32", 60_000);
        l.launch("relu_dw_pw_backward_dz_f32", 1, 128, 60_000, args);
    }

    @Test
    void aSmallerEmulatedDeviceHoldsEveryLaunchToItsLimit() {
        Object[] args = new Object[19];  // relu_dw_pw_backward_dz_f32 with n = 0 images, as above
        for (int i = 0; i < 19; i++) args[i] = i < 6 ? new Launcher.Ptr(0) : i < 18 ? (Object) 0 : (Object) 0L;
        try (EmulatedLauncher noOptIn = new EmulatedLauncher(EmulatedLauncher.configuredLibrary(), 48 * 1024)) {
            assertEquals(48 * 1024, noOptIn.maxSharedOptIn());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> noOptIn.optInShared("relu_dw_pw_backward_dz_f32", 60_000));
            assertTrue(e.getMessage().contains("more than the 49152 the emulated device lets a block opt in to"),
                    e.getMessage());
            noOptIn.launch("relu_dw_pw_backward_dz_f32", 1, 128, 48 * 1024, args);
        }
        try (EmulatedLauncher small = new EmulatedLauncher(EmulatedLauncher.configuredLibrary(), 8 * 1024)) {
            // below the 48 KiB every GPU allows without opting in, yet above this device's limit
            CudaException e = assertThrows(CudaException.class,
                    () -> small.launch("relu_dw_pw_backward_dz_f32", 1, 128, 10_000, args));
            assertTrue(e.getMessage().contains("dynamic shared memory"), e.getMessage());
            small.launch("relu_dw_pw_backward_dz_f32", 1, 128, 8 * 1024, args);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmulatedLauncher(EmulatedLauncher.configuredLibrary(), 300_000));
        assertTrue(e.getMessage().contains("maxSharedPerBlock must be in [1, 232448]"), e.getMessage());
    }

    @Test
    void aWritePastTheEndOfAnAllocationFailsTheLaunch() {
        Launcher l = cuda.launcher();
        long p = l.malloc(16);  // 4 floats
        l.launch("fill_f32", 1, 256, 0, new Launcher.Ptr(p), 1f, 4L);
        CudaException e = assertThrows(CudaException.class, () -> l.launch("fill_f32", 1, 256, 0, new Launcher.Ptr(p), 1f, 5L));
        assertTrue(e.getMessage().contains("fill_f32 wrote out of bounds: byte 0 past the end of the 16-byte allocation"),
                e.getMessage());
        l.free(p);  // the write faulted before it landed: nothing to report again
    }

    @Test
    void aWriteJustBeforeTheStartFailsTheLaunch() {
        Launcher l = cuda.launcher();
        long p = l.malloc(16);
        CudaException e = assertThrows(CudaException.class, () -> l.launch("fill_f32", 1, 256, 0, new Launcher.Ptr(p - 4), 1f, 1L));
        assertTrue(e.getMessage().contains("fill_f32 wrote out of bounds: 4 bytes before the start of the 16-byte allocation"),
                e.getMessage());
    }

    @Test
    void aReadOnePastTheEndOfAnAllocationFailsTheLaunch() {
        Launcher l = cuda.launcher();
        long x = l.malloc(16), y = l.malloc(32);
        l.launch("relu_f32", 1, 256, 0, new Launcher.Ptr(x), new Launcher.Ptr(y), 4L);
        // relu_f32(const float *x, float *y, long long n): y has room for 8, x holds 4; x[4] is read
        CudaException e = assertThrows(CudaException.class,
                () -> l.launch("relu_f32", 1, 256, 0, new Launcher.Ptr(x), new Launcher.Ptr(y), 5L));
        assertTrue(e.getMessage().contains("relu_f32 read out of bounds: byte 0 past the end of the 16-byte allocation at 0x"
                + Long.toHexString(x)), e.getMessage());
        l.launch("relu_f32", 1, 256, 0, new Launcher.Ptr(x), new Launcher.Ptr(y), 4L);  // the emulation goes on
    }

    @Test
    void aTensorsBufferEndsWhereTheTensorEnds() {
        // 5 floats: a pool rounding up to its 256-byte class would let x[5] be read unnoticed
        Tensor x = cuda.fromHost(new float[]{-1, 2, -3, 4, -5}, 5), y = cuda.allocate(8);
        assertEquals(20, cuda.pool().blockSize(20));
        CudaException e = assertThrows(CudaException.class, () -> cuda.launcher().launch("relu_f32", 2, 64, 0,
                ptr(x), ptr(y), 6L));
        assertTrue(e.getMessage().contains("relu_f32 read out of bounds: byte 0 past the end of the 20-byte allocation"),
                e.getMessage());
    }

    @Test
    void theJvmsOwnFaultsStillReachTheJvm() {
        // The emulation's SIGSEGV handler passes every fault off a kernel fiber to the JVM's: compiled code's
        // implicit null checks and safepoint polls are such faults; a broken chain would crash this JVM.
        cuda.launcher().launch("fill_f32", 1, 32, 0, ptr(cuda.allocate(4)), 1f, 4L);  // the handler is installed
        int[][] rows = new int[64][];
        for (int i = 0; i < rows.length; i++) rows[i] = i == 63 ? null : new int[]{i};
        int caught = 0;
        long sum = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int[] r : rows) {
                try {
                    sum += r[0];
                } catch (NullPointerException e) {
                    caught++;
                }
            }
        }
        assertEquals(20_000, caught);
        assertEquals(20_000L * 63 * 62 / 2, sum);
        System.gc();  // safepoints while the loop's compiled code is around
    }

    @Test
    void theJarsTableIsTheOneTheCompiledKernelsDeclare() {
        KernelAbi jar = KernelAbi.resource(), library = cuda.launcher().abi();
        assertEquals(library.kernels(), jar.kernels(), "the driver would pack by a different table than the kernels "
                + "declare: " + KernelAbi.RESOURCE + " is stale; rebuild");
        assertEquals(List.of(KernelAbi.ParamType.PTR, KernelAbi.ParamType.F32, KernelAbi.ParamType.I64),
                jar.kernel("fill_f32").params(), "fill_f32(float *t, float value, long long n)");
        assertEquals(1, jar.threads("loss_accumulate_f64"), "__launch_bounds__(1)");
    }
}
