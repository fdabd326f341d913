package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.AugmentConformance;

/** The backend-independent suite {@link AugmentConformance} on GPU 0, at the tolerances stated there. */
@GpuTest
class GpuAugmentSuiteTest extends AugmentConformance {
    @Override
    public Backend createBackend() { return CudaBackend.device(0); }
}
