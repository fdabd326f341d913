// Losses and reductions of org.proxynas.tensor.Kernels: softmaxCrossEntropy, mseLoss, bceLoss, dot, sumSquares.
//
// Reductions are deterministic without atomics: each thread sums its grid-stride share in double, the block adds
// the thread sums with block_sum (cuda/common.cuh, fixed tree) and thread 0 writes the block's partial to a device
// array of doubles that the host adds in block order. The grid size depends only on the element count and the
// device's grid cap, so a result does not change from run to run. Gradients are written in the same pass with the
// CPU reference's formulas (java/org/proxynas/cpu/CpuLoss.java) and Java's rounding: fp32 products and sums with
// __fmul_rn/__fadd_rn, double arithmetic with __dmul_rn/__dadd_rn (nvcc may not contract either into an FMA).
// Cross-entropy runs one row per thread (rows are short: class counts), each row exactly as the CPU loop.
#include "common.cuh"

// Minimum of v over the block, as block_sum (every thread receives it).
__device__ __forceinline__ double block_min(double v, double *partial) {
    partial[threadIdx.x] = v;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) partial[threadIdx.x] = fmin(partial[threadIdx.x], partial[threadIdx.x + half]);
        __syncthreads();
    }
    double m = partial[0];
    __syncthreads();
    return m;
}

// partial[block] = sum over the block's grid-stride share of (double) a[i] * b[i]; b may equal a (sumSquares).
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
dot_partial_f32(const float *a, const float *b, double *partial, long long n) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double s = 0.0;
    PROXYNAS_GRID_STRIDE(i, n) { s = __dadd_rn(s, __dmul_rn((double)a[i], (double)b[i])); }
    s = block_sum(s, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// MSE: partial[block] = sum (p - t)^2 in double; dpred (nullable, may be pred) = coef * (p - t) in fp32.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
mse_loss_f32(const float *pred, const float *target, float *dpred, float coef, double *partial, long long n) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double s = 0.0;
    PROXYNAS_GRID_STRIDE(i, n) {
        float d = __fsub_rn(pred[i], target[i]);
        s = __dadd_rn(s, __dmul_rn((double)d, (double)d));
        if (dpred) dpred[i] = __fmul_rn(coef, d);
    }
    s = block_sum(s, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// BCE (PyTorch): loss_i = (t - 1) max(log1p(-p), -100) - t max(log p, -100);
// dprob (nullable, may be prob) = (gradScale / n) (p - t) / max(p (1 - p), 1e-12), in double, rounded once.
// The probabilities are checked on the device, so the host reads back only the partials: bce_check_f32 first writes
// bad[block] = the smallest index of the block's share whose probability is outside [0, 1] or NaN (n when none);
// bce_loss_f32 (same grid) then writes nothing at all when any block found one (a rejected call writes nothing, as
// on the CPU), else partial[block] = the block's loss sum.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
bce_check_f32(const float *prob, double *bad, long long n) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double first = (double)n;
    PROXYNAS_GRID_STRIDE(i, n) {
        if (!(prob[i] >= 0.0f && prob[i] <= 1.0f) && (double)i < first) first = (double)i;
    }
    first = block_min(first, scratch);
    if (threadIdx.x == 0) bad[blockIdx.x] = first;
}

extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
bce_loss_f32(const float *prob, const float *target, float *dprob, float gradScale, const double *bad,
             double *partial, long long n) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    for (unsigned b = 0; b < gridDim.x; b++) {
        if (bad[b] < (double)n) return;  // uniform over the grid: no block reaches a barrier without the others
    }
    double coef = (double)gradScale / (double)n;
    double s = 0.0;
    PROXYNAS_GRID_STRIDE(i, n) {
        double p = prob[i], t = target[i];
        double logP = fmax(log(p), -100.0);
        double log1mP = fmax(log1p(-p), -100.0);
        s = __dadd_rn(s, __dsub_rn(__dmul_rn(t - 1.0, log1mP), __dmul_rn(t, logP)));
        if (dprob) dprob[i] = (float)(__dmul_rn(coef, p - t) / fmax(__dmul_rn(p, 1.0 - p), 1e-12));
    }
    s = block_sum(s, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// Softmax cross-entropy, one row of k logits per thread: loss = max + log(sum exp(x - max)) - x[label], correct
// when the first arg-max is the label; dlogits (nullable, may be logits) = gradScale/n * (softmax - onehot).
// partial[2 block] = the block's loss sum, partial[2 block + 1] = its correct count (a double, exact).
// bad (nullable: labels known valid, as the captured step's from the loader) holds softmax_label_check_f32's result
// on the same grid: when any row's label is not an integer in [0, k), nothing is written (and no logit read at it).
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
softmax_label_check_f32(const float *labels, double *bad, int n, int k) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    double first = (double)n;
    PROXYNAS_GRID_STRIDE(row, (long long)n) {
        float l = labels[row];
        if (!(l >= 0.0f && l < (float)k && l == rintf(l)) && (double)row < first) first = (double)row;
    }
    first = block_min(first, scratch);
    if (threadIdx.x == 0) bad[blockIdx.x] = first;
}

extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
softmax_xent_f32(const float *logits, const float *labels, float *dlogits, float gradScale, const double *bad,
                 double *partial, int n, int k) {
    __shared__ double scratch[PROXYNAS_REDUCE_THREADS];
    if (bad) {
        for (unsigned b = 0; b < gridDim.x; b++) {
            if (bad[b] < (double)n) return;  // uniform over the grid: no block reaches a barrier without the others
        }
    }
    double gradCoef = (double)gradScale / (double)n;
    double loss = 0.0, correct = 0.0;
    PROXYNAS_GRID_STRIDE(row, (long long)n) {
        const float *x = logits + row * k;
        int label = (int)labels[row];
        int arg = 0;
        float max = x[0];
        for (int j = 1; j < k; j++) {
            if (x[j] > max) { max = x[j]; arg = j; }
        }
        double sum = 0.0;
        for (int j = 0; j < k; j++) sum = __dadd_rn(sum, exp((double)x[j] - (double)max));
        double labelLogit = x[label];
        loss = __dadd_rn(loss, __dadd_rn((double)max, log(sum)) - labelLogit);
        if (arg == label) correct += 1.0;
        if (dlogits) {
            float *d = dlogits + row * k;
            double scale = gradCoef / sum;
            for (int j = 0; j < k; j++) d[j] = (float)__dmul_rn(scale, exp((double)x[j] - (double)max));
            d[label] = (float)__dmul_rn(gradCoef, exp(labelLogit - (double)max) / sum - 1.0);
        }
    }
    loss = block_sum(loss, scratch);
    correct = block_sum(correct, scratch);
    if (threadIdx.x == 0) {
        partial[2 * blockIdx.x] = loss;
        partial[2 * blockIdx.x + 1] = correct;
    }
}
