package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.tensor.DeviceTimer;
import org.proxynas.tensor.Tensor;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Capture and replay of launches under the emulation (the Launcher contract DriverLauncher implements with stream
 * capture): a replayed graph does exactly what running its launches again does, values it reads from device
 * memory may change between replays, and everything a capture cannot hold is refused with a message naming it.
 */
class EmulatedGraphCaptureTest {
    private CudaBackend cuda;

    @BeforeEach
    void setUp() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
    }

    @AfterEach
    void tearDown() { if (cuda != null) cuda.close(); }

    /** y = 0.5 y + x, then a device-to-device copy of y into z: state that compounds, so each replay shows. */
    private void work(Tensor x, Tensor y, Tensor z) {
        cuda.kernels().scale(y, 0.5f);
        cuda.kernels().axpy(1f, x, y);
        cuda.copy(y, z);
    }

    @Test
    void replaysMatchRunningTheLaunchesAgainBitForBit() {
        float[] xs = new float[700], ys = new float[700];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i * 0.37) * 3;
            ys[i] = (float) Math.cos(i * 0.11);
        }
        Tensor x1 = cuda.fromHost(xs, 700), y1 = cuda.fromHost(ys, 700), z1 = cuda.allocate(700);
        Tensor x2 = cuda.fromHost(xs, 700), y2 = cuda.fromHost(ys, 700), z2 = cuda.allocate(700);
        for (int i = 0; i < 5; i++) work(x1, y1, z1);

        Launcher.Graph g = cuda.capture(() -> work(x2, y2, z2));
        assertEquals(3, g.nodes(), "two launches and one copy recorded");
        assertArrayEquals(ys, y2.toHost(), "a capture records the work without running it");
        float[] zero = new float[700];
        assertArrayEquals(zero, z2.toHost());
        for (int i = 0; i < 5; i++) g.replay();
        assertArrayEquals(y1.toHost(), y2.toHost());
        assertArrayEquals(z1.toHost(), z2.toHost());

        // an input changed in device memory between replays is read by the next replay
        float[] x3 = xs.clone();
        x3[17] = 100f;
        x1.fromHost(x3);
        x2.fromHost(x3);
        work(x1, y1, z1);
        g.replay();
        assertArrayEquals(z1.toHost(), z2.toHost());
        g.close();
        assertThrows(IllegalStateException.class, g::replay);
    }

    private void assertRefused(String what, Consumer<Tensor> body) {
        Tensor t = cuda.allocate(8);
        CudaException e = assertThrows(CudaException.class, () -> cuda.capture(() -> {
            cuda.kernels().fill(t, 1f);
            body.accept(t);
        }));
        assertTrue(e.getMessage().contains(what) && e.getMessage().contains("during CUDA graph capture"), e.getMessage());
        assertFalse(cuda.launcher().capturing(), "a refused capture is abandoned");
        // the backend is usable again: the recorded fill never ran, and eager work runs
        assertArrayEquals(new float[8], t.toHost());
        cuda.kernels().fill(t, 2f);
        assertEquals(2f, t.toHost()[7]);
    }

    @Test
    void hostReadsUploadsAllocationAndSynchronisationFailTheCapture() {
        assertRefused("device-to-host copy of 8 floats", Tensor::toHost);
        assertRefused("host-to-device copy of 8 floats", t -> t.fromHost(new float[8]));
        assertRefused("allocate [3, 4]", t -> cuda.allocate(3, 4));
        assertRefused("synchronize", t -> cuda.synchronize());
        // a kernel that reads its result back to the host (a reduction) cannot be captured either
        CudaException e = assertThrows(CudaException.class, () -> cuda.capture(() -> cuda.kernels().sumSquares(cuda.allocate(1))));
        assertTrue(e.getMessage().contains("during CUDA graph capture"), e.getMessage());
    }

    @Test
    void anUncapturableCallInvalidatesTheCaptureEvenWhenTheCallerCatchesIt() {
        Launcher l = cuda.launcher();
        long p = l.malloc(64);
        l.beginCapture();
        assertThrows(CudaException.class, () -> l.free(p));
        CudaException e = assertThrows(CudaException.class, l::endCapture);
        assertTrue(e.getMessage().contains("invalidated by free"), e.getMessage());
        assertEquals(CaptureState.CAPTURE_INVALIDATED, e.code());
        assertFalse(l.capturing());
        l.free(p);
        assertThrows(IllegalStateException.class, l::endCapture, "endCapture without beginCapture");
    }

    @Test
    void aMissingKernelFailsAtCaptureNotAtReplay() {
        CudaException e = assertThrows(CudaException.class, () -> cuda.capture(() -> cuda.launcher().launch("no_such_kernel", 1, 1, 0)));
        assertTrue(e.getMessage().contains("no_such_kernel is not in the kernel ABI table"), e.getMessage());
    }

    @Test
    void theDeviceTimerMeasuresQueuedWork() throws InterruptedException {
        DeviceTimer timer = cuda.deviceTimer().orElseThrow();
        Tensor t = cuda.allocate(100_000);
        long outer = System.nanoTime();
        timer.start();
        cuda.kernels().fill(t, 3f);
        Thread.sleep(40);
        cuda.kernels().fill(t, 2f);
        float ms = timer.stopMillis();
        double outerMs = (System.nanoTime() - outer) / 1e6;
        // The interval holds a 40 ms sleep and lies inside the host interval around it: a timer in the wrong unit,
        // started late or never stopped falls outside [40, outer + 1] (1 ms: clock granularity).
        assertTrue(ms >= 40 && ms <= outerMs + 1, "elapsed " + ms + " ms, host interval " + outerMs + " ms");
        timer.close();
        DeviceTimer fresh = cuda.deviceTimer().orElseThrow();
        assertThrows(IllegalStateException.class, fresh::stopMillis, "stop before start");
        fresh.close();
    }
}
