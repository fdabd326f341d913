package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvConformance;

/** The conv conformance suite on the CPU reference backend with two worker threads. */
class CpuConvConformanceTest extends ConvConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
