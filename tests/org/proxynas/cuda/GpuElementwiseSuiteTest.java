package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ElementwiseConformance;

/** The backend-independent suite {@link ElementwiseConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuElementwiseSuiteTest extends ElementwiseConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
