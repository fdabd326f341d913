package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The startup self-check behind --backend auto, run on the emulated kernels against the CPU. */
class EmulatedSelfCheckTest {
    @Test
    void theEmulatedKernelsPassAndABrokenBackendFailsWithAReason() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        try (CpuBackend cpu = new CpuBackend(1)) {
            CudaBackend cuda = CudaBackend.emulated();
            CudaSelfCheck.Result ok = CudaSelfCheck.run(cuda, cpu);
            assertTrue(ok.passed(), ok.detail());
            cuda.close();
            CudaSelfCheck.Result closed = CudaSelfCheck.run(cuda, cpu);
            assertFalse(closed.passed());
            assertTrue(closed.detail().contains("the CUDA backend is closed"), closed.detail());
        }
    }
}
