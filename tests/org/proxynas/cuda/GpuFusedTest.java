package org.proxynas.cuda;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link CudaFusedChecks} on a real GPU (device 0, the jar's fatbin through the driver), with the same tolerances.
 * Skipped unless {@link CudaProbe} finds a device and the kernels were built.
 */
@Tag("gpu")
class GpuFusedTest extends CudaFusedChecks {
    @Override
    CudaBackend createCuda() {
        CudaProbe.Status s = CudaProbe.probe();
        assumeTrue(s.available(), "no usable GPU: " + s.reason());
        return CudaBackend.device(0);
    }
}
