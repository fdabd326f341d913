// Shared by every kernel file. Under the host-compiler emulation (cuda/emu/cuda_emu.h, force-included) the
// macros below are already defined; under nvcc they take their CUDA meaning.
#pragma once

#ifndef PROXYNAS_EMU
// Dynamic shared memory (the launch's sharedBytes): the emulation cannot express `extern __shared__ T x[]`.
#define PROXYNAS_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

// Threads per block of the elementwise family. Every kernel declares its block size once, as
// __launch_bounds__(N): the Java launchers read it from the generated kernel ABI table (kernels.abi).
#define PROXYNAS_EW_THREADS 256

// Grid-stride loop over [0, n): any grid size is correct, so launchers may cap the grid.
#define PROXYNAS_GRID_STRIDE(i, n)                                                              \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);               \
         i += (long long)gridDim.x * blockDim.x)

// Threads per block of the block reductions (weight gradients, batch-norm statistics); a power of two.
#define PROXYNAS_REDUCE_THREADS 256

// Sum of v over the block (blockDim.x == PROXYNAS_REDUCE_THREADS, a power of two), in a fixed tree order; every
// thread receives the total. partial holds PROXYNAS_REDUCE_THREADS doubles.
__device__ __forceinline__ double block_sum(double v, double *partial) {
    partial[threadIdx.x] = v;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
        __syncthreads();
    }
    double total = partial[0];
    __syncthreads();  // everyone has read partial[0] before it is reused
    return total;
}
