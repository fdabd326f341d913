// The depthwise, pointwise and dense (groups 1) convolutions of org.proxynas.tensor.Kernels, fp32, NCHW, no bias; semantics as the
// CPU reference (java/org/proxynas/cpu/CpuConv.java). Forward and backward-data run one thread per output element
// (backward-data as a gather over the outputs that read the element: no atomics). The weight gradients are one
// block per weight element, reducing over N*Ho*Wo with a shared-memory tree in a fixed order: deterministic.
// Products are rounded before they are added (__fmul_rn/__fadd_rn: no FMA contraction), as Java does; summation
// orders differ from the CPU's, hence the tolerances of the conformance suite.
#include "common.cuh"

#define PROXYNAS_CONV_THREADS 256

// sum (+)= the in-bounds taps that output (i, j) reads from one input plane xp, times the k x k filter wp.
__device__ __forceinline__ float conv_gather_taps(float sum, const float *xp, const float *wp, int i, int j, int h,
                                                  int wd, int k, int s, int pad, int dil) {
#pragma unroll 1
    for (int ki = 0; ki < k; ki++) {
        int r = s * i - pad + ki * dil;
        if (r < 0 || r >= h) continue;
#pragma unroll 1
        for (int kj = 0; kj < k; kj++) {
            int col = s * j - pad + kj * dil;
            if (col < 0 || col >= wd) continue;
            sum = __fadd_rn(sum, __fmul_rn(xp[r * wd + col], wp[ki * k + kj]));
        }
    }
    return sum;
}

// g (+)= dyp[i, j] * wp[ki, kj] over the outputs (i, j) of one output plane and the taps that read input (r, col).
__device__ __forceinline__ float conv_transpose_taps(float g, const float *dyp, const float *wp, int r, int col,
                                                     int ho, int wo, int k, int s, int pad, int dil) {
#pragma unroll 1
    for (int ki = 0; ki < k; ki++) {
        int dr = r + pad - ki * dil;
        if (dr < 0 || dr % s != 0 || dr / s >= ho) continue;
        int i = dr / s;
#pragma unroll 1
        for (int kj = 0; kj < k; kj++) {
            int dc = col + pad - kj * dil;
            if (dc < 0 || dc % s != 0 || dc / s >= wo) continue;
            g = __fadd_rn(g, __fmul_rn(dyp[i * wo + dc / s], wp[ki * k + kj]));
        }
    }
    return g;
}

// This thread's share (t = threadIdx.x, step blockDim.x over count = n*ho*wo outputs) of the filter-gradient sum for
// tap (ki, kj): x[img, xc0 of xc channels] at the tap times dy[img, dc0 of dc channels], in double.
__device__ __forceinline__ double conv_filter_tap_partial(const float *x, int xc, int xc0, const float *dy, int dc,
                                                          int dc0, long long count, int h, int wd, int ho, int wo,
                                                          int ki, int kj, int s, int pad, int dil) {
    double sum = 0.0;
    for (long long t = threadIdx.x; t < count; t += blockDim.x) {
        int img = (int)(t / (ho * wo)), o = (int)(t % (ho * wo)), i = o / wo, j = o % wo;
        int r = s * i - pad + ki * dil, col = s * j - pad + kj * dil;
        if (r < 0 || r >= h || col < 0 || col >= wd) continue;
        sum += (double)x[((long long)img * xc + xc0) * h * wd + r * wd + col]
             * (double)dy[((long long)img * dc + dc0) * ho * wo + o];
    }
    return sum;
}
// y[n,c,i,j] = sum over in-bounds taps of x[n,c,s*i-pad+ki*dil, s*j-pad+kj*dil] * w[c,ki,kj].
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
dwconv_forward_f32(const float *x, const float *w, float *y, long long planes, int c, int h, int wd, int ho, int wo,
                   int k, int s, int pad, int dil) {
    long long total = planes * ho * wo;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)ho * wo);
        int o = (int)(idx - plane * ho * wo), i = o / wo, j = o % wo;
        const float *xp = x + plane * h * wd;
        const float *wp = w + (plane % c) * k * k;
        y[idx] = conv_gather_taps(0.f, xp, wp, i, j, h, wd, k, s, pad, dil);
    }
}

// dx[n,c,r,col] (+)= sum over the outputs (i, j) and taps that read it of dy[n,c,i,j] * w[c,ki,kj].
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
dwconv_backward_data_f32(const float *dy, const float *w, float *dx, long long planes, int c, int h, int wd, int ho,
                         int wo, int k, int s, int pad, int dil, int accumulate) {
    long long total = planes * h * wd;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)h * wd);
        int q = (int)(idx - plane * h * wd), r = q / wd, col = q % wd;
        const float *dyp = dy + plane * ho * wo;
        const float *wp = w + (plane % c) * k * k;
        float g = conv_transpose_taps(0.f, dyp, wp, r, col, ho, wo, k, s, pad, dil);
        dx[idx] = accumulate ? __fadd_rn(dx[idx], g) : g;
    }
}

// dw[ch,ki,kj] += sum over n, i, j of x[n,ch,s*i-pad+ki*dil, s*j-pad+kj*dil] * dy[n,ch,i,j]: one block per weight
// element (grid-stride over c*k*k), summed in double.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
dwconv_backward_filter_f32(const float *x, const float *dy, float *dw, int n, int c, int h, int wd, int ho, int wo,
                           int k, int s, int pad, int dil) {
    __shared__ double partial[PROXYNAS_REDUCE_THREADS];
    long long count = (long long)n * ho * wo;
    for (int e = blockIdx.x; e < c * k * k; e += gridDim.x) {
        int ch = e / (k * k), tap = e % (k * k), ki = tap / k, kj = tap % k;
        double sum = conv_filter_tap_partial(x, c, ch, dy, c, ch, count, h, wd, ho, wo, ki, kj, s, pad, dil);
        double total = block_sum(sum, partial);
        if (threadIdx.x == 0) dw[e] = (float)((double)dw[e] + total);
    }
}

// y[n,o,i,j] = sum_ci w[o,ci] * x[n,ci,off+s*i,off+s*j].
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
pwconv_forward_f32(const float *x, const float *w, float *y, int n, int cin, int cout, int h, int wd, int ho, int wo,
                   int s, int off) {
    long long total = (long long)n * cout * ho * wo;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long nc = idx / ((long long)ho * wo);
        int o = (int)(idx - nc * ho * wo), i = o / wo, j = o % wo;
        int img = (int)(nc / cout), co = (int)(nc % cout);
        const float *xp = x + (long long)img * cin * h * wd + (long long)(off + s * i) * wd + off + s * j;
        const float *wp = w + (long long)co * cin;
        float sum = 0.f;
        for (int ci = 0; ci < cin; ci++) sum = __fadd_rn(sum, __fmul_rn(wp[ci], xp[(long long)ci * h * wd]));
        y[idx] = sum;
    }
}

// dx[n,ci,r,col] (+)= sum_co w[co,ci] * dy[n,co,i,j] where (r, col) = (off+s*i, off+s*j); 0 elsewhere.
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
pwconv_backward_data_f32(const float *dy, const float *w, float *dx, int n, int cin, int cout, int h, int wd, int ho,
                         int wo, int s, int off, int accumulate) {
    long long total = (long long)n * cin * h * wd;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long nc = idx / ((long long)h * wd);
        int q = (int)(idx - nc * h * wd), r = q / wd, col = q % wd;
        int img = (int)(nc / cin), ci = (int)(nc % cin);
        int dr = r - off, dc = col - off;
        float g = 0.f;
        if (dr >= 0 && dc >= 0 && dr % s == 0 && dc % s == 0 && dr / s < ho && dc / s < wo) {
            const float *dyp = dy + (long long)img * cout * ho * wo + (dr / s) * wo + dc / s;
            for (int co = 0; co < cout; co++) {
                g = __fadd_rn(g, __fmul_rn(w[(long long)co * cin + ci], dyp[(long long)co * ho * wo]));
            }
        }
        dx[idx] = accumulate ? __fadd_rn(dx[idx], g) : g;
    }
}

// dw[co,ci] += sum over n, i, j of dy[n,co,i,j] * x[n,ci,off+s*i,off+s*j]: one block per weight element, in double.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
pwconv_backward_weight_f32(const float *x, const float *dy, float *dw, int n, int cin, int cout, int h, int wd,
                           int ho, int wo, int s, int off) {
    __shared__ double partial[PROXYNAS_REDUCE_THREADS];
    long long count = (long long)n * ho * wo;
    for (int e = blockIdx.x; e < cout * cin; e += gridDim.x) {
        int co = e / cin, ci = e % cin;
        double sum = 0.0;
        for (long long t = threadIdx.x; t < count; t += blockDim.x) {
            int img = (int)(t / (ho * wo)), o = (int)(t % (ho * wo)), i = o / wo, j = o % wo;
            float xv = x[((long long)img * cin + ci) * h * wd + (long long)(off + s * i) * wd + off + s * j];
            sum += (double)dy[((long long)img * cout + co) * ho * wo + o] * (double)xv;
        }
        double total = block_sum(sum, partial);
        if (threadIdx.x == 0) dw[e] = (float)((double)dw[e] + total);
    }
}

// ---- dense (groups 1): the stem's 3x3 and the auxiliary head's 1x1 / 2x2 convs; w [cout, cin, k, k] -----------------

// y[n,co,i,j] = sum over ci and in-bounds taps of x[n,ci,s*i-pad+ki*dil, s*j-pad+kj*dil] * w[co,ci,ki,kj].
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
conv_forward_f32(const float *x, const float *w, float *y, int n, int cin, int cout, int h, int wd, int ho, int wo,
                 int k, int s, int pad, int dil) {
    long long total = (long long)n * cout * ho * wo;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long nc = idx / ((long long)ho * wo);
        int o = (int)(idx - nc * ho * wo), i = o / wo, j = o % wo;
        int img = (int)(nc / cout), co = (int)(nc % cout);
        const float *xn = x + (long long)img * cin * h * wd;
        const float *wc = w + (long long)co * cin * k * k;
        float sum = 0.f;
#pragma unroll 1
        for (int ci = 0; ci < cin; ci++) {
            const float *xp = xn + (long long)ci * h * wd;
            sum = conv_gather_taps(sum, xp, wc + ci * k * k, i, j, h, wd, k, s, pad, dil);
        }
        y[idx] = sum;
    }
}

// dx[n,ci,r,col] (+)= sum over co and the outputs (i, j) / taps that read it of dy[n,co,i,j] * w[co,ci,ki,kj]:
// a gather, one thread per input element, no atomics.
extern "C" __global__ void __launch_bounds__(PROXYNAS_CONV_THREADS)
conv_backward_data_f32(const float *dy, const float *w, float *dx, int n, int cin, int cout, int h, int wd, int ho,
                       int wo, int k, int s, int pad, int dil, int accumulate) {
    long long total = (long long)n * cin * h * wd;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long nc = idx / ((long long)h * wd);
        int q = (int)(idx - nc * h * wd), r = q / wd, col = q % wd;
        int img = (int)(nc / cin), ci = (int)(nc % cin);
        const float *dyn = dy + (long long)img * cout * ho * wo;
        float g = 0.f;
#pragma unroll 1
        for (int co = 0; co < cout; co++) {
            const float *dyp = dyn + (long long)co * ho * wo;
            g = conv_transpose_taps(g, dyp, w + ((long long)co * cin + ci) * k * k, r, col, ho, wo, k, s, pad, dil);
        }
        dx[idx] = accumulate ? __fadd_rn(dx[idx], g) : g;
    }
}

// dw[co,ci,ki,kj] += sum over n, i, j of x[n,ci,s*i-pad+ki*dil, s*j-pad+kj*dil] * dy[n,co,i,j]: one block per weight
// element (grid-stride over cout*cin*k*k), summed in double with block_sum's fixed order: deterministic.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
conv_backward_filter_f32(const float *x, const float *dy, float *dw, int n, int cin, int cout, int h, int wd, int ho,
                         int wo, int k, int s, int pad, int dil) {
    __shared__ double partial[PROXYNAS_REDUCE_THREADS];
    long long count = (long long)n * ho * wo;
    long long weights = (long long)cout * cin * k * k;
    for (long long e = blockIdx.x; e < weights; e += gridDim.x) {
        int tap = (int)(e % (k * k)), ki = tap / k, kj = tap % k;
        long long oc = e / (k * k);
        int ci = (int)(oc % cin), co = (int)(oc / cin);
        double sum = conv_filter_tap_partial(x, cin, ci, dy, cout, co, count, h, wd, ho, wo, ki, kj, s, pad, dil);
        double total = block_sum(sum, partial);
        if (threadIdx.x == 0) dw[e] = (float)((double)dw[e] + total);
    }
}
