// The captured training step's own kernels (java/org/proxynas/cuda/GraphStepKernels.java): every value that changes
// between replays of a CUDA graph (learning rate, clip coefficient, loss totals) is read from or written to device
// memory, and the parameter-wide work (zeroing gradients, the global gradient norm, the clipped SGD update) runs
// over a table of tensors in one launch each. Results are bit-identical to the eager step (GradClip.clip then
// Sgd.step through sumSquares, scale and sgd_step_f32): same per-tensor reduction grid and tree, same order of
// adding the per-tensor sums, every operation rounded once.
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

// coef[0] = min(1, maxNorm / (||all grads|| + 1e-6)) as GradClip computes it: each tensor's sum of squares is
// formed exactly as dot_partial_f32 on min(maxGrid, ceil(n / threads)) blocks would (the same strided per-thread
// sums and block tree), its block partials added in block order, and the tensor sums added in table order.
// One block of PROXYNAS_REDUCE_THREADS; maxNormBits is the double maxNorm's bit pattern.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
grad_clip_coef_multi_f32(const long long *rows, int count, int maxGrid, long long maxNormBits, float *coef) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double sq = 0.0;
    for (int t = 0; t < count; t++) {
        const float *g = row_ptr(rows, t, 1);
        long long n = rows[PROXYNAS_ROW * t + 3];
        long long blocks = (n + PROXYNAS_REDUCE_THREADS - 1) / PROXYNAS_REDUCE_THREADS;
        int grid = (int)(blocks < maxGrid ? blocks : maxGrid);
        if (grid < 1) grid = 1;
        long long stride = (long long)grid * PROXYNAS_REDUCE_THREADS;
        double tensorSum = 0.0;
        for (int b = 0; b < grid; b++) {
            double s = 0.0;
            for (long long i = (long long)b * PROXYNAS_REDUCE_THREADS + threadIdx.x; i < n; i += stride) {
                s = __dadd_rn(s, __dmul_rn((double)g[i], (double)g[i]));
            }
            tensorSum = __dadd_rn(tensorSum, block_sum(s, scratch));
        }
        sq = __dadd_rn(sq, tensorSum);
    }
    if (threadIdx.x == 0) {
        double maxNorm;
        memcpy(&maxNorm, &maxNormBits, sizeof maxNorm);
        double c = maxNorm / __dadd_rn(sqrt(sq), 1e-6);
        coef[0] = c < 1.0 ? (float)c : 1.0f;  // x * 1.0f == x: an unclipped step is unchanged
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
