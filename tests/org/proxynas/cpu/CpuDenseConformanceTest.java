package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DenseConformance;

/** The dense conformance suite on the CPU reference backend (two threads, so the parallel paths run). */
class CpuDenseConformanceTest extends DenseConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
