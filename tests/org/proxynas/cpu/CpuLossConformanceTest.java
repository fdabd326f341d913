package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossConformance;

/** The loss conformance suite on the CPU reference backend (two threads, so the parallel paths run). */
class CpuLossConformanceTest extends LossConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
