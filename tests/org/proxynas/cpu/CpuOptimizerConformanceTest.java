package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.OptimizerConformance;

/** The optimizer conformance suite on the CPU reference backend (two threads, so the parallel paths run). */
class CpuOptimizerConformanceTest extends OptimizerConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
