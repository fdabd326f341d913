package org.proxynas.cuda;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link CudaFusedSuperNetChecks} on a real GPU (device 0); skipped unless {@link CudaProbe} finds one. */
@Tag("gpu")
class GpuFusedSuperNetTest extends CudaFusedSuperNetChecks {
    @Override
    CudaBackend createCuda() {
        CudaProbe.Status s = CudaProbe.probe();
        assumeTrue(s.available(), "no usable GPU: " + s.reason());
        return CudaBackend.device(0);
    }
}
