package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.FusedConformance;

/** The fused kernels' argument checks on the CPU reference backend. */
class CpuFusedConformanceTest extends FusedConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
