package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.NormConformance;

/** The norm conformance suite on the CPU reference backend with two worker threads. */
class CpuNormConformanceTest extends NormConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
