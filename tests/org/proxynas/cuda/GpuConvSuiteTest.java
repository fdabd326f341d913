package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvConformance;

/** The backend-independent suite {@link ConvConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuConvSuiteTest extends ConvConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
