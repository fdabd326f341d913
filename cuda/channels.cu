// Channel copies, weighted sums and per-sample scaling of org.proxynas.tensor.Kernels, fp32, one thread per element
// in a grid-stride loop (PROXYNAS_EW_THREADS). Bit-identical to the CPU reference (CpuElementwise): every product
// and sum is rounded as Java rounds it (__fmul_rn/__fadd_rn, no FMA) and terms are added in the same order.
#include "common.cuh"

// Terms one weighted_sum_f32 launch takes; the host chains launches for more (accumulating, same order).
#define PROXYNAS_WSUM_TERMS 8

// dst[s, dstChannel + i] (+)= src[s, srcChannel + i]: len = channels * plane floats per sample, n samples.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
copy_channels_f32(const float *src, float *dst, long long n, long long len, long long srcStride, long long srcBase,
                  long long dstStride, long long dstBase, int accumulate) {
    PROXYNAS_GRID_STRIDE(t, n * len) {
        long long s = t / len, i = t % len;
        float v = src[s * srcStride + srcBase + i];
        long long d = s * dstStride + dstBase + i;
        dst[d] = accumulate ? __fadd_rn(dst[d], v) : v;
    }
}

// y (+)= sum_{k < terms} w_k * x_k, terms added in k order into an fp32 accumulator per element (all inputs read
// before y is written, so y may be one of the inputs).
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
weighted_sum_f32(float *y, long long n, int accumulate, int terms,
                 const float *x0, const float *x1, const float *x2, const float *x3,
                 const float *x4, const float *x5, const float *x6, const float *x7,
                 float w0, float w1, float w2, float w3, float w4, float w5, float w6, float w7) {
    const float *xs[PROXYNAS_WSUM_TERMS] = {x0, x1, x2, x3, x4, x5, x6, x7};
    const float ws[PROXYNAS_WSUM_TERMS] = {w0, w1, w2, w3, w4, w5, w6, w7};
    PROXYNAS_GRID_STRIDE(i, n) {
        float acc = accumulate ? y[i] : 0.f;
        for (int k = 0; k < terms && k < PROXYNAS_WSUM_TERMS; k++) acc = __fadd_rn(acc, __fmul_rn(ws[k], xs[k][i]));
        y[i] = acc;
    }
}

// y[s, ...] (+)= scales[s] * x[s, ...], per floats per sample; scales is a device array of n floats.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
scale_samples_f32(const float *x, const float *scales, float *y, long long total, long long per, int accumulate) {
    PROXYNAS_GRID_STRIDE(i, total) {
        float p = __fmul_rn(scales[i / per], x[i]);
        y[i] = accumulate ? __fadd_rn(y[i], p) : p;
    }
}
