package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.OptimizerConformance;

/** The backend-independent suite {@link OptimizerConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuOptimizerSuiteTest extends OptimizerConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
