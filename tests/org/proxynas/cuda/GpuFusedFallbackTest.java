package org.proxynas.cuda;

import java.util.OptionalInt;

/**
 * {@link CudaFusedFallbackChecks} on GPU 0 with its own shared-memory limit: on an A100 or H100 the DARTS widths all
 * run fused (opting in above 48 KiB) and the 240-channel backward falls back; each call's path is asserted either way.
 */
@GpuTest
class GpuFusedFallbackTest extends CudaFusedFallbackChecks {
    @Override
    CudaBackend createCuda() {
        CudaDriver driver = CudaDriver.load().orElseThrow(() -> new IllegalStateException(CudaProbe.describe()));
        return recording(new DriverLauncher(driver, 0));
    }

    @Override OptionalInt dartsWidthFallbacks() { return OptionalInt.empty(); }
}
