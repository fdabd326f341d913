package org.proxynas.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link CudaFusedSuperNetChecks} on the CUDA emulation at 4x4 images (1x1 maps after the two reduction cells): every
 * fused kernel, stride 1 and 2, in every cell, in seconds. Batch 4 stays: at 2 the last cell's batch norms see two
 * values per channel and their 1/std amplifies rounding past the tolerance.
 */
class EmulatedFusedSuperNetTest extends CudaFusedSuperNetChecks {
    @Override
    CudaBackend createCuda() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        return CudaBackend.emulated();
    }

    @Override int imageSize() { return 4; }
}
