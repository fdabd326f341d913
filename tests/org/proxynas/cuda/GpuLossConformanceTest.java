package org.proxynas.cuda;

/**
 * cuda/loss.cu and cuda/optim.cu on GPU 0 (the jar's fatbin through the driver) against the CPU reference: the very
 * checks and tolerances of {@link EmulatedLossConformanceTest}. They apply unchanged because the kernels fix their
 * own rounding (__fmul_rn/__fadd_rn, no FMA contraction) instead of leaving it to nvcc, and the emulated tolerances
 * already allow for the device's double exp/log/tanh (within 2 ulp).
 */
@GpuTest
class GpuLossConformanceTest extends EmulatedLossConformanceTest {
    @Override
    CudaBackend createCuda() { return CudaBackend.device(0); }
}
