package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.StepKernels;
import org.proxynas.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The graph-capture capability of the Backend SPI (what the search asks for instead of naming CUDA): the CPU
 * backend offers none, the CUDA backend offers CUDA graphs whose replays do the captured work, whose refusals
 * become {@link GraphCapture.RefusedException}, and whose step kernels reject a table or totals of another backend.
 */
class CudaGraphCaptureTest {
    @Test
    void theCpuBackendOffersNoGraphCapture() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            assertTrue(cpu.graphCapture().isEmpty());
        }
    }

    @Test
    void cudaGraphsReplayTheCapturedWork() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend cuda = CudaBackend.emulated()) {
            GraphCapture graphs = cuda.graphCapture().orElseThrow();
            assertEquals("CUDA graphs", graphs.name());
            Tensor y = cuda.fromHost(new float[] {1, 2, 3}, 3);
            try (GraphCapture.Graph g = graphs.capture(() -> cuda.kernels().scale(y, 2f))) {
                assertArrayEquals(new float[] {1, 2, 3}, y.toHost(), "captured, not run");
                g.replay();
                g.replay();
                assertArrayEquals(new float[] {4, 8, 12}, y.toHost());
            }
        }
    }

    @Test
    void aRefusedCaptureIsARefusedExceptionNamingWhatWasAttempted() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend cuda = CudaBackend.emulated()) {
            GraphCapture graphs = cuda.graphCapture().orElseThrow();
            Tensor t = cuda.allocate(8);
            GraphCapture.RefusedException e = assertThrows(GraphCapture.RefusedException.class, () -> graphs.capture(t::toHost));
            assertTrue(e.getMessage().contains("device-to-host copy of 8 floats (a read back) during CUDA graph capture"), e.getMessage());
            assertTrue(e.getCause() instanceof CudaException c && c.refusedByCapture(), String.valueOf(e.getCause()));
            assertFalse(cuda.launcher().capturing(), "the refused capture is abandoned");
        }
    }

    @Test
    void stepKernelsRejectATableOrTotalsTheyDidNotMake() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend cuda = CudaBackend.emulated()) {
            StepKernels k = cuda.graphCapture().orElseThrow().stepKernels();
            Tensor w = cuda.allocate(4), g = cuda.allocate(4), m = cuda.allocate(4);
            StepKernels.ParamTable own = k.table(List.of(w), List.of(g), List.of(m));
            k.zeroGrads(own);
            StepKernels.ParamTable foreign = new StepKernels.ParamTable() {};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.zeroGrads(foreign));
            assertTrue(e.getMessage().contains("parameter table was not made by the CUDA backend"), e.getMessage());
            StepKernels.LossTotals totals = new StepKernels.LossTotals() {
                @Override public StepKernels.Totals read() { return new StepKernels.Totals(0, 0, 0, 0, 0); }

                @Override public void reset() {}
            };
            Tensor logits = cuda.allocate(2, 3), labels = cuda.allocate(2), dlogits = cuda.allocate(2, 3);
            e = assertThrows(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(logits, labels, dlogits, totals));
            assertTrue(e.getMessage().contains("loss totals were not made by the CUDA backend"), e.getMessage());
        }
    }
}
