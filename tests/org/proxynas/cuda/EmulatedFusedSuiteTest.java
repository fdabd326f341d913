package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ExtendWith;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.FusedConformance;

/** The backend-independent suite {@link FusedConformance} (the fused kernels' argument checks) under emulation. */
@ExtendWith(EmulationAvailable.class)
class EmulatedFusedSuiteTest extends FusedConformance {
    @Override
    public Backend createBackend() { return CudaBackend.emulated(); }
}
