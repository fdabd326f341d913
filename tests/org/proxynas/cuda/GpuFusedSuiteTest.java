package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.FusedConformance;

/** The backend-independent suite {@link FusedConformance} (the fused kernels' argument checks) on GPU 0. */
@GpuTest
class GpuFusedSuiteTest extends FusedConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
