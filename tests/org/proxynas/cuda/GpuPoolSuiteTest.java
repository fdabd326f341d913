package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.PoolConformance;

/** The backend-independent suite {@link PoolConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuPoolSuiteTest extends PoolConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
