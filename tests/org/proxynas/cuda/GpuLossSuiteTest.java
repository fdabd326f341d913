package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossConformance;

/** The backend-independent suite {@link LossConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuLossSuiteTest extends LossConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
