package org.proxynas.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link CudaFusedChecks} on the CUDA emulation (libproxynas_emu.so); skipped when it was not built. */
class EmulatedFusedConformanceTest extends CudaFusedChecks {
    @Override
    CudaBackend createCuda() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built ("
                + EmulatedLauncher.configuredLibrary() + "): g++ missing when native-build/build-cuda.sh ran");
        return CudaBackend.emulated();
    }
}
