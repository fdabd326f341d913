package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

import java.util.OptionalInt;

/**
 * {@link CudaFusedFallbackChecks} on an emulated device with 8 KiB of shared memory per block, smaller than any CUDA
 * GPU, so that every chain at the DARTS widths falls back (36 channels need 10,368 bytes forward and 14,544
 * backward): all 40 calls, forward and backward at 36, 72 and 144 channels and every op geometry. 26 s with the
 * machine's 2 cores shared with a long experiment (load about 3).
 */
@ExtendWith(EmulationAvailable.class)
class EmulatedSmallDeviceFallbackTest extends CudaFusedFallbackChecks {
    @Override
    CudaBackend createCuda() { return recording(new EmulatedLauncher(EmulatedLauncher.configuredLibrary(), 8 * 1024)); }

    @Override OptionalInt dartsWidthFallbacks() { return OptionalInt.of(40); }

    @Override boolean smallerThanAnyGpu() { return true; }
}
