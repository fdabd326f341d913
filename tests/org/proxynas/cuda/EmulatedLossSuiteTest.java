package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ExtendWith;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossConformance;

/**
 * The backend-independent suite {@link LossConformance} (the CPU backend's own checks, against its references and
 * finite differences at the tolerances stated there) on the CUDA kernels under emulation.
 */
@ExtendWith(EmulationAvailable.class)
class EmulatedLossSuiteTest extends LossConformance {
    @Override
    public Backend createBackend() { return CudaBackend.emulated(); }
}
