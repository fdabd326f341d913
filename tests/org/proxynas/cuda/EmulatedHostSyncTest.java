package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.tensor.DeviceTimer;
import org.proxynas.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher's count of host synchronisations under the emulation, which counts the calls the driver launcher
 * counts: uploads, read backs, synchronize and device-timer reads count one each; launches, device-to-device copies
 * and zeroing count none; a capture and the replays of its graph count none.
 */
class EmulatedHostSyncTest {
    private CudaBackend cuda;

    @BeforeEach
    void open() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
    }

    @AfterEach
    void close() { if (cuda != null) cuda.close(); }

    @Test
    void countsEveryWaitOfTheHostAndNothingElse() {
        Tensor a = cuda.allocate(100), b = cuda.allocate(100);
        long s = cuda.hostSyncs();
        cuda.kernels().fill(a, 2f);
        cuda.kernels().scale(a, 3f);
        cuda.copy(a, b);
        cuda.allocate(10);
        assertEquals(0, cuda.hostSyncs() - s, "launches, a device copy and an allocation (zeroed on the device)");
        a.fromHost(new float[100]);
        assertEquals(1, cuda.hostSyncs() - s, "an upload");
        b.toHost();
        assertEquals(2, cuda.hostSyncs() - s, "a read back");
        cuda.synchronize();
        assertEquals(3, cuda.hostSyncs() - s, "synchronize");
        cuda.kernels().sumSquares(b);
        assertEquals(4, cuda.hostSyncs() - s, "sumSquares returns a host value: one read back");
        try (DeviceTimer t = cuda.deviceTimer().orElseThrow()) {
            t.start();
            cuda.kernels().scale(a, 3f);
            t.stopMillis();
        }
        assertEquals(5, cuda.hostSyncs() - s, "a timer read");
        Tensor prob = cuda.fromHost(new float[] {0.2f, 0.9f, 0.5f}, 3), target = cuda.fromHost(new float[] {0, 1, 1}, 3);
        s = cuda.hostSyncs();
        cuda.kernels().bceLoss(prob, target, null, 1f);
        assertEquals(1, cuda.hostSyncs() - s, "BCE checks the probabilities on the device: its partials are the only read back");
        Tensor logits = cuda.fromHost(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), labels = cuda.fromHost(new float[] {2, 0}, 2);
        s = cuda.hostSyncs();
        cuda.kernels().softmaxCrossEntropy(logits, labels, null, 1f);
        assertEquals(1, cuda.hostSyncs() - s, "cross-entropy checks the labels on the device: its sums are the only read back");
    }

    @Test
    void aCaptureAndItsReplaysCountNone() {
        Tensor a = cuda.fromHost(new float[] {1, 2, 3}, 3), b = cuda.allocate(3);
        long s = cuda.hostSyncs();
        try (Launcher.Graph g = cuda.capture(() -> {
            cuda.kernels().scale(a, 2f);
            cuda.copy(a, b);
        })) {
            assertEquals(0, cuda.hostSyncs() - s, "capture");
            for (int i = 0; i < 3; i++) g.replay();
            assertEquals(0, cuda.hostSyncs() - s, "three replays");
        }
        assertArrayEquals(new float[] {8, 16, 24}, b.toHost(), "the capture ran nothing, each of the three replays doubled 1,2,3");
        CudaException refused = assertThrows(CudaException.class, () -> cuda.capture(() -> a.toHost()));
        assertTrue(refused.getMessage().contains("device-to-host copy"), refused.getMessage());
        assertEquals(1, cuda.hostSyncs() - s, "only the final read back counted; the refused one did not run");
    }
}
