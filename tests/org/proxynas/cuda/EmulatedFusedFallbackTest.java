package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

import java.util.OptionalInt;

/**
 * {@link CudaFusedFallbackChecks} on an emulated device without the opt-in above 48 KiB (a driver or GPU that
 * offers none): at the DARTS widths the 144-channel backward (120,384 bytes) falls back, 8 of the 40 calls; the
 * forward fits up to 170 channels; at 240 channels both fall back. 48 s with the machine's 2 cores shared with a
 * long experiment (load about 3): 21 s the DARTS widths, 14 s the 240-channel comparison, 13 s the capture.
 */
@ExtendWith(EmulationAvailable.class)
class EmulatedFusedFallbackTest extends CudaFusedFallbackChecks {
    @Override
    CudaBackend createCuda() {
        return recording(new EmulatedLauncher(EmulatedLauncher.configuredLibrary(), Launcher.DEFAULT_SHARED_BYTES));
    }

    @Override OptionalInt dartsWidthFallbacks() { return OptionalInt.of(8); }
}
