package org.proxynas.cpu;

import org.proxynas.tensor.AugmentConformance;
import org.proxynas.tensor.Backend;

class CpuAugmentConformanceTest extends AugmentConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
