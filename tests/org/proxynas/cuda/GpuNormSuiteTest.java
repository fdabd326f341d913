package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.NormConformance;

/** The backend-independent suite {@link NormConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuNormSuiteTest extends NormConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
