// The pooling family of org.proxynas.tensor.Kernels, fp32, NCHW: max pool, average pool (count_include_pad either
// way), global average pool, forward and backward. Semantics and summation order follow the CPU reference
// (java/org/proxynas/cpu/CpuPool.java). Backward passes are gathers (one thread per input element visits the
// output windows that contain it), so there are no atomics and results are deterministic.
#include "common.cuh"

#define PROXYNAS_POOL_THREADS 256
#define PROXYNAS_GAP_THREADS 128

// Java's Math.max(a, b) on floats: NaN wins, max(-0, +0) = +0.
__device__ __forceinline__ float java_maxf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return a == 0.f ? __fadd_rn(a, b) : a;  // -0 + +0 = +0, -0 + -0 = -0
    return a > b ? a : b;
}

// The winner of output (i, j)'s window as PyTorch picks it (CpuPool.firstMax): the first in-bounds tap, then any
// later tap that is greater or NaN, row-major. Its index in the plane, or -1 when no tap lies inside the input.
__device__ __forceinline__ int pool_first_max(const float *xp, int h, int w, int i, int j, int k, int s, int pad, int dil) {
    int best = -1;
    float max = -INFINITY;
    for (int ki = 0; ki < k; ki++) {
        int r = s * i - pad + ki * dil;
        if (r < 0 || r >= h) continue;
        for (int kj = 0; kj < k; kj++) {
            int c = s * j - pad + kj * dil;
            if (c < 0 || c >= w) continue;
            float v = xp[r * w + c];
            if (best < 0 || v > max || v != v) {
                best = r * w + c;
                max = v;
            }
        }
    }
    return best;
}

// y = max over the window's in-bounds taps (padding is minus infinity), folded as max(y, x) in row-major order.
extern "C" __global__ void __launch_bounds__(PROXYNAS_POOL_THREADS)
maxpool_forward_f32(const float *x, float *y, long long planes, int h, int w, int ho, int wo,
                    int k, int s, int pad, int dil) {
    long long total = planes * ho * wo;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)ho * wo);
        int o = (int)(idx - plane * ho * wo), i = o / wo, j = o % wo;
        const float *xp = x + plane * h * w;
        float m = -INFINITY;
        for (int ki = 0; ki < k; ki++) {
            int r = s * i - pad + ki * dil;
            if (r < 0 || r >= h) continue;
            for (int kj = 0; kj < k; kj++) {
                int c = s * j - pad + kj * dil;
                if (c < 0 || c >= w) continue;
                m = java_maxf(m, xp[r * w + c]);
            }
        }
        y[idx] = m;
    }
}

// dx (+)= sum of dy over the windows whose first maximum is this element, windows in row-major order.
// sumFirst = 1 adds the sum to dx at the end (the CPU's stride-1 path); 0 adds each term to dx in turn.
extern "C" __global__ void __launch_bounds__(PROXYNAS_POOL_THREADS)
maxpool_backward_f32(const float *x, const float *dy, float *dx, long long planes, int h, int w, int ho, int wo,
                     int k, int s, int pad, int dil, int accumulate, int sumFirst) {
    long long total = planes * h * w;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)h * w);
        int q = (int)(idx - plane * h * w), r = q / w, c = q % w;
        const float *xp = x + plane * h * w;
        const float *dyp = dy + plane * ho * wo;
        float g = (accumulate && !sumFirst) ? dx[idx] : 0.f;
        // windows in row-major order: output row i = (r + pad - ki*dil) / s ascends as ki descends
#pragma unroll 1
        for (int ki = k - 1; ki >= 0; ki--) {
            int dr = r + pad - ki * dil;
            if (dr < 0 || dr % s != 0 || dr / s >= ho) continue;
            int i = dr / s;
#pragma unroll 1
            for (int kj = k - 1; kj >= 0; kj--) {
                int dc = c + pad - kj * dil;
                if (dc < 0 || dc % s != 0 || dc / s >= wo) continue;
                int j = dc / s;
                if (pool_first_max(xp, h, w, i, j, k, s, pad, dil) == q) g = __fadd_rn(g, dyp[i * wo + j]);
            }
        }
        dx[idx] = (accumulate && sumFirst) ? __fadd_rn(dx[idx], g) : g;
    }
}

// The divisor of output (i, j): k*k, or the number of in-bounds taps (rows inside times columns inside).
__device__ __forceinline__ float pool_divisor(int i, int j, int h, int w, int k, int s, int pad, int dil, int includePad) {
    if (includePad) return (float)(k * k);
    int rows = 0, cols = 0;
    for (int t = 0; t < k; t++) {
        int r = s * i - pad + t * dil, c = s * j - pad + t * dil;
        rows += (r >= 0 && r < h);
        cols += (c >= 0 && c < w);
    }
    return (float)(rows * cols);
}

// y = (sum of the in-bounds taps, row-major) / divisor.
extern "C" __global__ void __launch_bounds__(PROXYNAS_POOL_THREADS)
avgpool_forward_f32(const float *x, float *y, long long planes, int h, int w, int ho, int wo,
                    int k, int s, int pad, int dil, int includePad) {
    long long total = planes * ho * wo;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)ho * wo);
        int o = (int)(idx - plane * ho * wo), i = o / wo, j = o % wo;
        const float *xp = x + plane * h * w;
        float sum = 0.f;
        for (int ki = 0; ki < k; ki++) {
            int r = s * i - pad + ki * dil;
            if (r < 0 || r >= h) continue;
            for (int kj = 0; kj < k; kj++) {
                int c = s * j - pad + kj * dil;
                if (c < 0 || c >= w) continue;
                sum = __fadd_rn(sum, xp[r * w + c]);
            }
        }
        y[idx] = sum / pool_divisor(i, j, h, w, k, s, pad, dil, includePad);
    }
}

// dx (+)= sum over the windows containing this element of dy / divisor, taps in row-major order.
extern "C" __global__ void __launch_bounds__(PROXYNAS_POOL_THREADS)
avgpool_backward_f32(const float *dy, float *dx, long long planes, int h, int w, int ho, int wo,
                     int k, int s, int pad, int dil, int includePad, int accumulate) {
    long long total = planes * h * w;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)h * w);
        int q = (int)(idx - plane * h * w), r = q / w, c = q % w;
        const float *dyp = dy + plane * ho * wo;
        float g = accumulate ? dx[idx] : 0.f;
        for (int ki = 0; ki < k; ki++) {
            int dr = r + pad - ki * dil;
            if (dr < 0 || dr % s != 0 || dr / s >= ho) continue;
            int i = dr / s;
            for (int kj = 0; kj < k; kj++) {
                int dc = c + pad - kj * dil;
                if (dc < 0 || dc % s != 0 || dc / s >= wo) continue;
                int j = dc / s;
                g = __fadd_rn(g, dyp[i * wo + j] / pool_divisor(i, j, h, w, k, s, pad, dil, includePad));
            }
        }
        dx[idx] = g;
    }
}

// y[p] = mean of plane p, summed in double (one block per plane, grid-stride over planes; a shared-memory tree).
extern "C" __global__ void __launch_bounds__(PROXYNAS_GAP_THREADS)
global_avgpool_forward_f32(const float *x, float *y, long long planes, int plane) {
    __shared__ double partial[PROXYNAS_GAP_THREADS];
    for (long long p = blockIdx.x; p < planes; p += gridDim.x) {
        const float *xp = x + p * plane;
        double sum = 0.0;
        for (int i = threadIdx.x; i < plane; i += blockDim.x) sum += (double)xp[i];
        partial[threadIdx.x] = sum;
        __syncthreads();
        for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {
            if (threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
            __syncthreads();
        }
        if (threadIdx.x == 0) y[p] = (float)(partial[0] / (double)plane);
        __syncthreads();  // partial[0] is read before the next plane overwrites it
    }
}

// dx (+)= dy[p] / plane over plane p.
extern "C" __global__ void __launch_bounds__(PROXYNAS_POOL_THREADS)
global_avgpool_backward_f32(const float *dy, float *dx, long long planes, int plane, int accumulate) {
    long long total = planes * plane;
    PROXYNAS_GRID_STRIDE(idx, total) {
        float share = dy[idx / plane] / (float)plane;
        dx[idx] = accumulate ? __fadd_rn(dx[idx], share) : share;
    }
}
