// Batch norm of org.proxynas.tensor.Kernels over NCHW ([N,C,H,W]) or [N,C] fp32, as the CPU reference
// (java/org/proxynas/cpu/CpuNorm.java): per channel over the M = N*H*W values, two-pass statistics in double,
// invStd = 1/sqrt(biased var + eps), y = (x - mean) * (gamma * invStd) + beta, running statistics as PyTorch
// (r = (1 - momentum) r + momentum * stat, unbiased variance). The training kernels run one block per channel
// (grid-stride over channels) with a shared-memory tree reduction (block_sum, cuda/common.cuh): deterministic.
// fp32 element formulas round each product (__fmul_rn/__fadd_rn, no FMA), as Java does. gamma, beta and the
// running statistics may be null pointers where the interface allows null.
#include "common.cuh"

#define PROXYNAS_NORM_THREADS 256

// The element of channel ch at position t in [0, n*plane): image t / plane, pixel t % plane.
__device__ __forceinline__ long long norm_index(long long t, int c, int ch, int plane) {
    return ((t / plane) * c + ch) * plane + t % plane;
}

extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
batchnorm_train_forward_f32(const float *x, const float *gamma, const float *beta, float *runningMean,
                            float *runningVar, float momentum, float eps, float *y, float *saveMean,
                            float *saveInvStd, int n, int c, int plane) {
    __shared__ double partial[PROXYNAS_REDUCE_THREADS];
    long long count = (long long)n * plane;
    double m = (double)count;
    for (int ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double sum = 0.0;
        for (long long t = threadIdx.x; t < count; t += blockDim.x) sum += (double)x[norm_index(t, c, ch, plane)];
        double mean = block_sum(sum, partial) / m;
        double sq = 0.0;
        for (long long t = threadIdx.x; t < count; t += blockDim.x) {
            double d = (double)x[norm_index(t, c, ch, plane)] - mean;
            sq += d * d;
        }
        sq = block_sum(sq, partial);
        double var = sq / m;
        double invStd = 1.0 / sqrt(var + (double)eps);
        float mf = (float)mean;
        float scale = (float)((gamma ? (double)gamma[ch] : 1.0) * invStd);
        float shift = beta ? beta[ch] : 0.f;
        for (long long t = threadIdx.x; t < count; t += blockDim.x) {
            long long e = norm_index(t, c, ch, plane);
            y[e] = __fadd_rn(__fmul_rn(x[e] - mf, scale), shift);
        }
        if (threadIdx.x == 0) {
            saveMean[ch] = mf;
            saveInvStd[ch] = (float)invStd;
            if (runningMean) {
                runningMean[ch] = (float)((1.0 - (double)momentum) * (double)runningMean[ch] + (double)momentum * mean);
                runningVar[ch] = (float)((1.0 - (double)momentum) * (double)runningVar[ch]
                                         + (double)momentum * (sq / (m - 1.0)));
            }
        }
    }
}

// The eval-mode scale of channel ch: gamma / sqrt(runningVar + eps), in double and rounded once.
__device__ __forceinline__ float norm_eval_scale(const float *gamma, const float *runningVar, float eps, int ch) {
    return (float)((gamma ? (double)gamma[ch] : 1.0) / sqrt((double)runningVar[ch] + (double)eps));
}

extern "C" __global__ void __launch_bounds__(PROXYNAS_NORM_THREADS)
batchnorm_eval_forward_f32(const float *x, const float *gamma, const float *beta, const float *runningMean,
                           const float *runningVar, float eps, float *y, long long total, int c, int plane) {
    PROXYNAS_GRID_STRIDE(e, total) {
        int ch = (int)((e / plane) % c);
        float scale = norm_eval_scale(gamma, runningVar, eps, ch);
        float shift = beta ? beta[ch] : 0.f;
        y[e] = __fadd_rn(__fmul_rn(x[e] - runningMean[ch], scale), shift);
    }
}

// dx (+)= a*dy + b*(x - mean) + c0 with a = g*invStd, b = -g*invStd^3*sum(dy*(x-mean))/M, c0 = -g*invStd*sum(dy)/M;
// dgamma += sum(dy*(x-mean))*invStd, dbeta += sum(dy) (both may be null).
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
batchnorm_backward_f32(const float *dy, const float *x, const float *gamma, const float *saveMean,
                       const float *saveInvStd, float *dx, float *dgamma, float *dbeta, int accumulate,
                       int n, int c, int plane) {
    __shared__ double partial[PROXYNAS_REDUCE_THREADS];
    long long count = (long long)n * plane;
    double m = (double)count;
    for (int ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double mean = saveMean[ch], invStd = saveInvStd[ch];
        double sumDy = 0.0, sumDyXc = 0.0;
        for (long long t = threadIdx.x; t < count; t += blockDim.x) {
            long long e = norm_index(t, c, ch, plane);
            sumDy += (double)dy[e];
            sumDyXc += (double)dy[e] * ((double)x[e] - mean);
        }
        sumDy = block_sum(sumDy, partial);
        sumDyXc = block_sum(sumDyXc, partial);
        double g = gamma ? (double)gamma[ch] : 1.0;
        float a = (float)(g * invStd);
        float b = (float)(-g * invStd * invStd * invStd * sumDyXc / m);
        float c0 = (float)(-g * invStd * sumDy / m);
        float mf = saveMean[ch];
        for (long long t = threadIdx.x; t < count; t += blockDim.x) {
            long long e = norm_index(t, c, ch, plane);
            float v = __fadd_rn(__fadd_rn(__fmul_rn(a, dy[e]), __fmul_rn(b, x[e] - mf)), c0);
            dx[e] = accumulate ? __fadd_rn(dx[e], v) : v;
        }
        if (threadIdx.x == 0) {
            if (dgamma) dgamma[ch] = (float)((double)dgamma[ch] + sumDyXc * invStd);
            if (dbeta) dbeta[ch] = (float)((double)dbeta[ch] + sumDy);
        }
    }
}

extern "C" __global__ void __launch_bounds__(PROXYNAS_NORM_THREADS)
batchnorm_eval_backward_f32(const float *dy, const float *gamma, const float *runningVar, float eps, float *dx,
                            int accumulate, long long total, int c, int plane) {
    PROXYNAS_GRID_STRIDE(e, total) {
        int ch = (int)((e / plane) % c);
        float v = __fmul_rn(norm_eval_scale(gamma, runningVar, eps, ch), dy[e]);
        dx[e] = accumulate ? __fadd_rn(dx[e], v) : v;
    }
}
