package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DenseConformance;

/** The backend-independent suite {@link DenseConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuDenseSuiteTest extends DenseConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
