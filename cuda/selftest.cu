// A block reduction that exercises every emulated primitive (static and dynamic shared memory, __syncthreads,
// __shfl_xor_sync, __shfl_down_sync, atomicAdd) so the emulation itself is tested; also a pattern later
// reductions (dot, batch-norm statistics) start from. out[0] += sum of x over [0, n).
#include "common.cuh"

extern "C" __global__ void __launch_bounds__(256)
selftest_block_sum_f32(const float *x, float *out, long long n) {
    __shared__ float warpSums[32];
    PROXYNAS_DYNAMIC_SHARED(float, staged);  // blockDim.x floats
    float v = 0.f;
    PROXYNAS_GRID_STRIDE(i, n) { v += x[i]; }
    staged[threadIdx.x] = v;
    __syncthreads();
    v = staged[(threadIdx.x + 1u) % blockDim.x];  // a neighbour's partial: wrong if the barrier is not real
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    if ((threadIdx.x & 31u) == 0) warpSums[threadIdx.x >> 5] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        unsigned warps = (blockDim.x + 31u) >> 5;
        float w = threadIdx.x < warps ? warpSums[threadIdx.x] : 0.f;
        for (int offset = 16; offset > 0; offset >>= 1) w += __shfl_down_sync(0xffffffffu, w, offset);
        if (threadIdx.x == 0) atomicAdd(out, w);
    }
}

// Shows the emulation's schedule (never launched on a GPU, where static shared memory starts undefined): each thread
// appends its global index to order[] (so order holds the order threads ran in), and thread 0 of each block first
// reads the static shared word the previous block left behind into stale[blockIdx.x] (the emulation's garbage
// 0xA5A5A5A5 when static shared memory is re-poisoned between blocks).
extern "C" __global__ void __launch_bounds__(256)
selftest_schedule_i32(int *order, int *counter, int *stale) {
    __shared__ int left[1];
    if (threadIdx.x == 0) stale[blockIdx.x] = left[0];
    __syncthreads();
    order[atomicAdd(counter, 1)] = (int)(blockIdx.x * blockDim.x + threadIdx.x);
    __syncthreads();
    if (threadIdx.x == 0) left[0] = 12345;
}
