// Optimiser steps of org.proxynas.tensor.Kernels, fp32, one thread per parameter in a grid-stride loop, with the CPU
// reference's formulas and evaluation order (java/org/proxynas/cpu/CpuOptim.java): every operation rounded once
// (__fmul_rn/__fadd_rn/__fsub_rn/__fdiv_rn/__fsqrt_rn, no FMA), so the results are bit-identical to the CPU.
#include "common.cuh"

// PyTorch SGD: d = g + wd p; buf = momentum buf + d; p -= lr buf.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
sgd_step_f32(float *param, const float *grad, float *buf, float lr, float momentum, float weightDecay, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float p = param[i];
        float d = __fadd_rn(grad[i], __fmul_rn(weightDecay, p));
        float b = __fadd_rn(__fmul_rn(momentum, buf[i]), d);
        buf[i] = b;
        param[i] = __fsub_rn(p, __fmul_rn(lr, b));
    }
}

// PyTorch Adam with L2 decay: g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g' g';
// p -= stepSize m / (sqrt(v) / bias2Sqrt + eps); stepSize and bias2Sqrt are formed on the host in double.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
adam_step_f32(float *param, const float *grad, float *m, float *v, float stepSize, float bias2Sqrt, float beta1,
              float beta2, float oneMinusB1, float oneMinusB2, float eps, float weightDecay, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float p = param[i];
        float g = __fadd_rn(grad[i], __fmul_rn(weightDecay, p));
        float mi = __fadd_rn(__fmul_rn(beta1, m[i]), __fmul_rn(oneMinusB1, g));
        float vi = __fadd_rn(__fmul_rn(beta2, v[i]), __fmul_rn(__fmul_rn(oneMinusB2, g), g));
        m[i] = mi;
        v[i] = vi;
        float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), bias2Sqrt), eps);
        param[i] = __fsub_rn(p, __fdiv_rn(__fmul_rn(stepSize, mi), denom));
    }
}
