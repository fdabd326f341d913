// The elementwise family of org.proxynas.tensor.Kernels, fp32, one thread per element in a grid-stride loop.
//
// Results are bit-identical to the CPU reference (java/org/proxynas/cpu/CpuElementwise.java) except sigmoid:
// products use __fmul_rn so nvcc cannot contract a*x+y into an FMA (Java rounds the product first), and the
// comparisons reproduce Java's NaN and signed-zero rules. sigmoid uses expf in fp32 (the reference rounds a double
// result once): within 1e-6 absolute, the conformance suite's documented tolerance.
#include "common.cuh"

// y = max(x, 0) with Java's Math.max semantics: NaN propagates, -0 becomes +0. x may equal y.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
relu_f32(const float *x, float *y, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v != v ? v : (v > 0.f ? v : 0.f);
    }
}

// dx (+)= dy where y > 0.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
relu_backward_f32(const float *y, const float *dy, float *dx, long long n, int accumulate) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float g = y[i] > 0.f ? dy[i] : 0.f;
        dx[i] = accumulate ? __fadd_rn(dx[i], g) : g;
    }
}

// y = 1 / (1 + exp(-x)).
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
sigmoid_f32(const float *x, float *y, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) { y[i] = 1.f / (1.f + expf(-x[i])); }
}

// dx (+)= dy * y * (1 - y), evaluated left to right as Java does.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
sigmoid_backward_f32(const float *y, const float *dy, float *dx, long long n, int accumulate) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float v = y[i];
        float g = __fmul_rn(__fmul_rn(dy[i], v), 1.f - v);
        dx[i] = accumulate ? __fadd_rn(dx[i], g) : g;
    }
}

// t[i] = value.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
fill_f32(float *t, float value, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) { t[i] = value; }
}

// y += a * x.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
axpy_f32(float a, const float *x, float *y, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) { y[i] = __fadd_rn(y[i], __fmul_rn(a, x[i])); }
}

// x *= a.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
scale_f32(float *x, float a, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) { x[i] = __fmul_rn(x[i], a); }
}

// y (+)= a * b.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
mul_f32(const float *a, const float *b, float *y, long long n, int accumulate) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float p = __fmul_rn(a[i], b[i]);
        y[i] = accumulate ? __fadd_rn(y[i], p) : p;
    }
}
