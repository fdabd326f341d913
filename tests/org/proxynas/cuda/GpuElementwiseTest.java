package org.proxynas.cuda;

/**
 * The same checks as {@link EmulatedElementwiseConformanceTest} on a real GPU (device 0, the jar's fatbin through
 * the driver). Skipped unless {@link CudaProbe} finds a device and the kernels were built.
 */
@GpuTest
class GpuElementwiseTest extends CudaElementwiseChecks {
    @Override
    CudaBackend createCuda() { return CudaBackend.device(0); }
}
