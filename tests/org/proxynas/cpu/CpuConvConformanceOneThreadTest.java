package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvConformance;

/** The conv suite again on one thread: {@link Parallel} runs inline (no pool) and reductions use fewer chunks. */
class CpuConvConformanceOneThreadTest extends ConvConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(1); }
}
