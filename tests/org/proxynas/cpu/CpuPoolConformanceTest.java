package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.PoolConformance;

/** The pool conformance suite on the CPU reference backend with two worker threads. */
class CpuPoolConformanceTest extends PoolConformance {
    @Override
    public Backend createBackend() { return new CpuBackend(2); }
}
