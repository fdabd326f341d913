// The captured training step's own kernels (java/org/proxynas/cuda/GraphStepKernels.java): every value that changes
// between replays of a CUDA graph (learning rate, clip coefficient, loss totals) is read from or written to device
// memory, and the parameter-wide work (zeroing gradients, the global gradient norm, the clipped SGD update) runs
// over a table of tensors in one launch each (two for the norm). The eager clip on CUDA (Kernels.clipGradNorm) runs
// the same two norm passes on the same grid, so the captured step is bit-identical to the eager one (clipGradNorm
// then Sgd.step through sgd_step_f32), every operation rounded once.
#include "common.cuh"
#include <string.h>

// A parameter table row: 4 long longs {param address, grad address, momentum address, element count}.
#define PROXYNAS_ROW 4

__device__ __forceinline__ float *row_ptr(const long long *rows, int t, int field) {
    return reinterpret_cast<float *>(rows[PROXYNAS_ROW * t + field]);
}

// grad = 0 for every row.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
zero_grads_multi_f32(const long long *rows, int count) {
    for (int t = 0; t < count; t++) {
        float *g = row_ptr(rows, t, 1);
        long long n = rows[PROXYNAS_ROW * t + 3];
        PROXYNAS_GRID_STRIDE(i, n) { g[i] = 0.0f; }
    }
}

// The global gradient norm in two deterministic passes (no atomics; the result depends only on the table and the
// grid, never on the order blocks run in). Pass 1, on any grid: partial[b] = block b's sum of (double) g^2 over its
// grid-stride share of every row's gradient, rows in table order, the thread sums added with block_sum's fixed
// tree. Row t starts at block (t mod grid), so the many small tensors of a network spread over the grid instead of
// all landing on block 0.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
grad_sumsq_partial_f32(const long long *rows, int count, double *partial) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    long long grid = gridDim.x, stride = grid * PROXYNAS_REDUCE_THREADS;
    double s = 0.0;
    for (int t = 0; t < count; t++) {
        const float *g = row_ptr(rows, t, 1);
        long long n = rows[PROXYNAS_ROW * t + 3];
        long long slot = (blockIdx.x + grid - t % grid) % grid;  // this block's place in row t's rotated grid
        for (long long i = slot * PROXYNAS_REDUCE_THREADS + threadIdx.x; i < n; i += stride) {
            s = __dadd_rn(s, __dmul_rn((double)g[i], (double)g[i]));
        }
    }
    s = block_sum(s, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// Pass 2, one block: sq = the blocks partials of pass 1 added in a fixed order (thread-strided, then block_sum's
// tree); coef[0] = min(1, maxNorm / (sqrt(sq) + 1e-6)) as GradClip computes it, and sumSq[0] = sq when sumSq is not
// null. maxNormBits is the double maxNorm's bit pattern.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
grad_clip_coef_f32(const double *partial, int blocks, long long maxNormBits, float *coef, double *sumSq) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double s = 0.0;
    for (int b = threadIdx.x; b < blocks; b += PROXYNAS_REDUCE_THREADS) s = __dadd_rn(s, partial[b]);
    double sq = block_sum(s, scratch);
    if (threadIdx.x == 0) {
        double maxNorm;
        memcpy(&maxNorm, &maxNormBits, sizeof maxNorm);
        double c = maxNorm / __dadd_rn(sqrt(sq), 1e-6);
        coef[0] = c < 1.0 ? (float)c : 1.0f;  // x * 1.0f == x: an unclipped step is unchanged
        if (sumSq) sumSq[0] = sq;
    }
}

// grad *= coef[0] for every row (the eager clip; the captured step folds this into sgd_clipped_multi_f32).
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
scale_grads_multi_f32(const long long *rows, int count, const float *coef) {
    float c = coef[0];
    for (int t = 0; t < count; t++) {
        float *g = row_ptr(rows, t, 1);
        long long n = rows[PROXYNAS_ROW * t + 3];
        PROXYNAS_GRID_STRIDE(i, n) { g[i] = __fmul_rn(g[i], c); }
    }
}

// grad *= coef[0]; then PyTorch SGD at lr[0] as sgd_step_f32: d = g + wd p; buf = momentum buf + d; p -= lr buf.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
sgd_clipped_multi_f32(const long long *rows, int count, const float *lr, const float *coef, float momentum,
                      float weightDecay) {
    float rate = lr[0], c = coef[0];
    for (int t = 0; t < count; t++) {
        float *param = row_ptr(rows, t, 0), *grad = row_ptr(rows, t, 1), *buf = row_ptr(rows, t, 2);
        long long n = rows[PROXYNAS_ROW * t + 3];
        PROXYNAS_GRID_STRIDE(i, n) {
            float g = __fmul_rn(grad[i], c);
            grad[i] = g;
            float p = param[i];
            float d = __fadd_rn(g, __fmul_rn(weightDecay, p));
            float b = __fadd_rn(__fmul_rn(momentum, buf[i]), d);
            buf[i] = b;
            param[i] = __fsub_rn(p, __fmul_rn(rate, b));
        }
    }
}

// Adds one softmax_xent_f32 result (blocks partial pairs) to the running totals, as SupernetRunner adds LossStats:
// acc[0] += (loss / n) * n, acc[1] += (int) correct, acc[2] += n, acc[3] = steps so far, and acc[4] = the first
// step whose loss was not finite (0: none). One thread.
extern "C" __global__ void __launch_bounds__(1)
loss_accumulate_f64(const double *partial, int blocks, int n, double *acc) {
    if (threadIdx.x != 0 || blockIdx.x != 0) return;
    double loss = 0.0, correct = 0.0;
    for (int b = 0; b < blocks; b++) {
        loss = __dadd_rn(loss, partial[2 * b]);
        correct = __dadd_rn(correct, partial[2 * b + 1]);
    }
    double mean = loss / (double)n;
    acc[0] = __dadd_rn(acc[0], __dmul_rn(mean, (double)n));
    acc[1] = __dadd_rn(acc[1], (double)(int)correct);
    acc[2] = __dadd_rn(acc[2], (double)n);
    acc[3] = __dadd_rn(acc[3], 1.0);
    if (!(mean - mean == 0.0) && acc[4] == 0.0) acc[4] = acc[3];  // NaN or infinite: x - x is not 0
}
