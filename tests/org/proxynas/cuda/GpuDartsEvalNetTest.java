package org.proxynas.cuda;

/**
 * {@link CudaEvalNetChecks} at the DARTS size (L = 20, C = 36) on GPU 0, with {@link EmulatedDartsEvalNetTest}'s
 * tolerances: the same kernel sources and summation orders, and the bound is the CPU's own response to rounding.
 */
@GpuTest
class GpuDartsEvalNetTest extends CudaEvalNetChecks {
    @Override CudaBackend createCuda() { return CudaBackend.device(0); }

    @Override int layers() { return 20; }

    @Override double gradientTolerance() { return 0.2; }
}
