// Fused kernels of org.proxynas.tensor.Kernels (docs/architecture.md#performance), fp32, NCHW. Each replaces a chain
// of the unfused kernels; the CPU reference of a fused method runs that chain (java/org/proxynas/cpu/CpuFused.java).
//
// Batch norm folded into the node sum: an affine-free batch norm times a mixture weight is a per-(term, channel)
// scale and shift, so a node sum over any number of batch-normalised op outputs is one multiply-add pass that never
// writes the normalised outputs. Its backward needs per (term, channel) only sum dy and sum dy * (x - mean); they
// give the batch-norm input gradient and the mixture-weight gradient both.
//
// ReLU -> depthwise -> pointwise (+ the following batch norm's statistics). The output pixels, flattened over
// (image, row, column), are cut into tiles; a block computes a tile's depthwise outputs for every channel into
// shared memory (the ReLU applied as x is read), then the pointwise outputs from there, so neither the ReLU nor the
// depthwise output goes to global memory. The backward recomputes them from x instead of storing them (lever 4).
// A chain whose tile of every channel does not fit a block's shared memory (a device without the opt-in above
// 48 KiB, or a very wide cell) runs the unfused kernels instead, its intermediates in global memory (CudaFused).
//
// Reductions are split over (channel x chunk) with a small finishing kernel (lever 5: C is 16..64 but N*H*W is
// 4k..65k, so one block per channel would leave most of the GPU idle). Partials are written to a buffer and added in
// a fixed order: no float atomics, results are the same run to run. Partial sums are doubles except the pointwise
// filter gradient's per-block accumulator (fp32 over at most a few hundred products, then double across blocks).
// Products use fmaf: these kernels are checked against the unfused chain within the tolerances their emulated
// conformance test states, not bit for bit.
#include "common.cuh"

// Threads per block of the tile kernels; a multiple of 32 (warp-uniform loops, shuffles).
#define PROXYNAS_FUSED_THREADS 128
// Output pixels per tile: the forward (a multiple of 32: one warp reduces 32 pixels of one channel) and the backward.
#define PROXYNAS_FUSED_TILE 64
#define PROXYNAS_FUSED_BTILE 32
#define PROXYNAS_FUSED_WARPS_PER_TILE (PROXYNAS_FUSED_TILE / 32)

// ReLU with Java's Math.max(v, 0f) rules (NaN stays NaN), as relu_f32.
__device__ __forceinline__ float fused_relu(float v) { return v != v ? v : (v > 0.f ? v : 0.f); }

// z[ch * zStride + p] = depthwise(relu(x), dw) at output pixel base + p of channel ch, for every channel and the
// tile's pixels; 0 past the last pixel (total). Every thread of the block takes part.
__device__ __forceinline__ void fused_depthwise_tile(const float *x, const float *dw, float *z, int zStride, int tile,
                                                     long long base, long long total, int c, int h, int wd, int ho,
                                                     int wo, int k, int s, int pad, int dil) {
    int plane = ho * wo;
    for (int i = threadIdx.x; i < c * tile; i += blockDim.x) {
        int ch = i / tile, p = i % tile;
        long long q = base + p;
        float sum = 0.f;
        if (q < total) {
            long long img = q / plane;
            int o = (int)(q - img * plane), oi = o / wo, oj = o % wo;
            const float *xp = x + (img * c + ch) * (long long)h * wd;
            const float *wp = dw + ch * k * k;
#pragma unroll 1
            for (int ki = 0; ki < k; ki++) {
                int r = s * oi - pad + ki * dil;
                if (r < 0 || r >= h) continue;
#pragma unroll 1
                for (int kj = 0; kj < k; kj++) {
                    int col = s * oj - pad + kj * dil;
                    if (col < 0 || col >= wd) continue;
                    sum = fmaf(fused_relu(xp[r * wd + col]), wp[ki * k + kj], sum);
                }
            }
        }
        z[ch * zStride + p] = sum;
    }
}

// y[n,co,p] = sum_ch pw[co,ch] * depthwise(relu(x))[n,ch,p], and per (channel, tile) the double sums of y and y^2:
// partial[2 * (co * tiles + tile) + {0, 1}]. Grid-stride over tiles of PROXYNAS_FUSED_TILE output pixels.
// Dynamic shared memory: 16 * cout * PROXYNAS_FUSED_WARPS_PER_TILE + 4 * c * PROXYNAS_FUSED_TILE bytes.
extern "C" __global__ void __launch_bounds__(PROXYNAS_FUSED_THREADS)
relu_dw_pw_forward_f32(const float *x, const float *dw, const float *pw, float *y, double *partial, int n, int c,
                       int cout, int h, int wd, int ho, int wo, int k, int s, int pad, int dil) {
    PROXYNAS_DYNAMIC_SHARED(double, fusedForwardShared);
    const int tileLen = PROXYNAS_FUSED_TILE, warps = PROXYNAS_FUSED_WARPS_PER_TILE;
    double *warpSums = fusedForwardShared;                                  // [cout][warps][2]
    float *z = reinterpret_cast<float *>(fusedForwardShared + 2 * cout * warps);  // [c][tileLen]
    int plane = ho * wo;
    long long total = (long long)n * plane, tiles = (total + tileLen - 1) / tileLen;
    for (long long tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
        long long base = tile * tileLen;
        fused_depthwise_tile(x, dw, z, tileLen, tileLen, base, total, c, h, wd, ho, wo, k, s, pad, dil);
        __syncthreads();
        // (co, p) items: a warp's 32 items share co (tileLen and blockDim are multiples of 32), and every warp runs
        // the same number of iterations, so the shuffles below are convergent.
        for (int i = threadIdx.x; i < cout * tileLen; i += blockDim.x) {
            int co = i / tileLen, p = i % tileLen;
            const float *wp = pw + (long long)co * c;
            float v = 0.f;
            for (int ch = 0; ch < c; ch++) v = fmaf(wp[ch], z[ch * tileLen + p], v);
            long long q = base + p;
            if (q < total) {
                long long img = q / plane;
                y[(img * cout + co) * plane + (q - img * plane)] = v;
            }
            double s1 = v, s2 = (double)v * v;  // 0 past the last pixel: z is 0 there
            for (int off = 16; off > 0; off >>= 1) {
                s1 += __shfl_down_sync(0xffffffffu, s1, off);
                s2 += __shfl_down_sync(0xffffffffu, s2, off);
            }
            if ((threadIdx.x & 31) == 0) {
                warpSums[2 * (co * warps + p / 32)] = s1;
                warpSums[2 * (co * warps + p / 32) + 1] = s2;
            }
        }
        __syncthreads();
        for (int co = threadIdx.x; co < cout; co += blockDim.x) {
            double s1 = 0.0, s2 = 0.0;
            for (int w = 0; w < warps; w++) {
                s1 += warpSums[2 * (co * warps + w)];
                s2 += warpSums[2 * (co * warps + w) + 1];
            }
            partial[2 * (co * tiles + tile)] = s1;
            partial[2 * (co * tiles + tile) + 1] = s2;
        }
        __syncthreads();  // z and warpSums are rewritten by the next tile
    }
}

// The finishing kernel of the statistics: per channel, the tiles' sums added in a fixed tree order (block_sum), then
// what batchnorm_train_forward_f32 writes: mean, invStd = 1/sqrt(biased var + eps), running statistics as PyTorch
// (unbiased variance). The variance is E[y^2] - mean^2 in double: the fp32 y squared is exact in double, so the
// cancellation costs ~1e-16 * (mean^2 / var) relative, far below fp32. One block per channel, grid-stride.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
bn_statistics_finish_f32(const double *partial, long long tiles, int c, long long count, float momentum, float eps,
                         float *runningMean, float *runningVar, float *saveMean, float *saveInvStd) {
    __shared__ double red[PROXYNAS_REDUCE_THREADS];
    double m = (double)count;
    for (int ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double s1 = 0.0, s2 = 0.0;
        for (long long t = threadIdx.x; t < tiles; t += blockDim.x) {
            s1 += partial[2 * (ch * tiles + t)];
            s2 += partial[2 * (ch * tiles + t) + 1];
        }
        s1 = block_sum(s1, red);
        s2 = block_sum(s2, red);
        if (threadIdx.x == 0) {
            double mean = s1 / m;
            double sq = fmax(s2 - s1 * mean, 0.0);  // sum of squared deviations
            double invStd = 1.0 / sqrt(sq / m + (double)eps);
            saveMean[ch] = (float)mean;
            saveInvStd[ch] = (float)invStd;
            if (runningMean) {
                runningMean[ch] = (float)((1.0 - (double)momentum) * (double)runningMean[ch] + (double)momentum * mean);
                runningVar[ch] = (float)((1.0 - (double)momentum) * (double)runningVar[ch]
                                         + (double)momentum * (sq / (m - 1.0)));
            }
        }
    }
}

// Backward, first pass, over tiles of PROXYNAS_FUSED_BTILE output pixels: recomputes z = depthwise(relu(x)), writes
// dz[n,ch,p] = sum_co pw[co,ch] * dy[n,co,p], and accumulates the pointwise filter gradient sum_p dy[co,p] * z[ch,p]
// per (co, ch) over the block's tilesPerBlock consecutive tiles in shared memory (each pair owned by one thread), then
// writes it to dpwPartial[(co * c + ch) * blocks + block]. Grid-stride over the blocks. A null dpwPartial (no pointwise
// filter gradient wanted: an architecture step) skips z and the accumulation; dz is the same either way.
// Dynamic shared memory: 4 * (cout * c + c * (PROXYNAS_FUSED_BTILE + 1) + cout * PROXYNAS_FUSED_BTILE) bytes.
extern "C" __global__ void __launch_bounds__(PROXYNAS_FUSED_THREADS)
relu_dw_pw_backward_dz_f32(const float *x, const float *dw, const float *pw, const float *dy, float *dz,
                           double *dpwPartial, int n, int c, int cout, int h, int wd, int ho, int wo, int k, int s,
                           int pad, int dil, int tilesPerBlock, long long blocks) {
    PROXYNAS_DYNAMIC_SHARED(float, fusedBackwardShared);
    const int tileLen = PROXYNAS_FUSED_BTILE, zStride = PROXYNAS_FUSED_BTILE + 1;  // padded: no bank conflicts below
    int pairs = cout * c;
    float *acc = fusedBackwardShared;  // [cout * c]
    float *z = acc + pairs;            // [c][zStride]
    float *g = z + c * zStride;        // [cout][tileLen]: the tile of dy
    int plane = ho * wo;
    long long total = (long long)n * plane, tiles = (total + tileLen - 1) / tileLen;
    const bool wantDpw = dpwPartial != nullptr;  // the same for every thread: the barriers below stay uniform
    for (long long b = blockIdx.x; b < blocks; b += gridDim.x) {
        for (int e = threadIdx.x; e < pairs; e += blockDim.x) acc[e] = 0.f;
        long long end = min(tiles, (b + 1) * tilesPerBlock);
        for (long long tile = b * tilesPerBlock; tile < end; tile++) {
            long long base = tile * tileLen;
            if (wantDpw) fused_depthwise_tile(x, dw, z, zStride, tileLen, base, total, c, h, wd, ho, wo, k, s, pad, dil);
            for (int i = threadIdx.x; i < cout * tileLen; i += blockDim.x) {
                int co = i / tileLen, p = i % tileLen;
                long long q = base + p;
                float v = 0.f;
                if (q < total) {
                    long long img = q / plane;
                    v = dy[(img * cout + co) * plane + (q - img * plane)];
                }
                g[co * tileLen + p] = v;
            }
            __syncthreads();
            for (int i = threadIdx.x; i < c * tileLen; i += blockDim.x) {
                int ch = i / tileLen, p = i % tileLen;
                long long q = base + p;
                if (q >= total) continue;
                float v = 0.f;
                for (int co = 0; co < cout; co++) v = fmaf(pw[co * c + ch], g[co * tileLen + p], v);
                long long img = q / plane;
                dz[(img * c + ch) * plane + (q - img * plane)] = v;
            }
            for (int e = threadIdx.x; wantDpw && e < pairs; e += blockDim.x) {
                const float *gp = g + (e / c) * tileLen, *zp = z + (e % c) * zStride;
                float a = acc[e];
                for (int p = 0; p < tileLen; p++) a = fmaf(gp[p], zp[p], a);
                acc[e] = a;
            }
            __syncthreads();  // z and g are rewritten by the next tile
        }
        for (int e = threadIdx.x; wantDpw && e < pairs; e += blockDim.x) dpwPartial[e * blocks + b] = (double)acc[e];
    }
}

// dx[n,ch,r,col] (+)= [x > 0] * sum over the outputs and taps that read it of dz[n,ch,i,j] * dw[ch,ki,kj]: the
// depthwise backward-data gather (no atomics) with the ReLU's mask applied as x is read. The mask is x > 0, which
// is relu(x) > 0 (the unfused chain's mask) for every x, NaN included.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
relu_dw_backward_data_f32(const float *x, const float *dz, const float *dw, float *dx, long long planes, int c, int h,
                          int wd, int ho, int wo, int k, int s, int pad, int dil, int accumulate) {
    long long total = planes * h * wd;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long plane = idx / ((long long)h * wd);
        int q = (int)(idx - plane * h * wd), r = q / wd, col = q % wd;
        float g = 0.f;
        if (x[idx] > 0.f) {
            const float *dzp = dz + plane * ho * wo;
            const float *wp = dw + (plane % c) * k * k;
#pragma unroll 1
            for (int ki = 0; ki < k; ki++) {
                int dr = r + pad - ki * dil;
                if (dr < 0 || dr % s != 0 || dr / s >= ho) continue;
                int i = dr / s;
#pragma unroll 1
                for (int kj = 0; kj < k; kj++) {
                    int dc = col + pad - kj * dil;
                    if (dc < 0 || dc % s != 0 || dc / s >= wo) continue;
                    g = fmaf(dzp[i * wo + dc / s], wp[ki * k + kj], g);
                }
            }
        }
        dx[idx] = accumulate ? __fadd_rn(dx[idx], g) : g;
    }
}

// The depthwise filter gradient split over (weight element x chunk of output pixels): block b = e * chunks + chunk
// sums relu(x)[tap of e] * dz over its chunk in double (block_sum's fixed order) into partial[b]. Grid-stride.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
relu_dw_backward_filter_partial_f32(const float *x, const float *dz, double *partial, int n, int c, int h, int wd,
                                    int ho, int wo, int k, int s, int pad, int dil, int chunks, long long chunkLen) {
    __shared__ double red[PROXYNAS_REDUCE_THREADS];
    int plane = ho * wo;
    long long count = (long long)n * plane, items = (long long)c * k * k * chunks;
    for (long long b = blockIdx.x; b < items; b += gridDim.x) {
        int e = (int)(b / chunks), chunk = (int)(b % chunks);
        int ch = e / (k * k), tap = e % (k * k), ki = tap / k, kj = tap % k;
        long long start = chunk * chunkLen, end = min(count, start + chunkLen);
        double sum = 0.0;
        for (long long t = start + threadIdx.x; t < end; t += blockDim.x) {
            long long img = t / plane;
            int o = (int)(t - img * plane), i = o / wo, j = o % wo;
            int r = s * i - pad + ki * dil, col = s * j - pad + kj * dil;
            if (r < 0 || r >= h || col < 0 || col >= wd) continue;
            long long pl = img * c + ch;
            sum += (double)fused_relu(x[pl * h * wd + r * wd + col]) * (double)dz[pl * plane + o];
        }
        double total = block_sum(sum, red);
        if (threadIdx.x == 0) partial[b] = total;
    }
}

// out[e] += sum over chunks of partial[e * chunks + chunk], in chunk order in double, rounded once: the finishing
// kernel of the filter-gradient split reductions. One thread per element.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
partials_add_f32(const double *partial, float *out, long long count, long long chunks) {
    PROXYNAS_GRID_STRIDE(e, count) {
        double sum = 0.0;
        for (long long chunk = 0; chunk < chunks; chunk++) sum += partial[e * chunks + chunk];
        out[e] = (float)((double)out[e] + sum);
    }
}

// ---- batch norm folded into the node sum -------------------------------------------------------------------------
// The terms of a node sum come as a table in device memory, PROXYNAS_BN_TERM_FLOATS floats per term: the addresses of
// x, mean, invStd and dx (each as four 16-bit pieces, exact in a float; 0 = none), the weight, the address of a
// stored weight (read in place of the one before it where not 0: the DARTS mixture weights, which change between the
// replays of a captured step) and the address of the double that the backward adds the weight's gradient to (0:
// none). Every block decodes the first five into shared memory first (36 bytes per term of dynamic shared memory),
// so any number of terms takes one launch.
#define PROXYNAS_BN_TERM_FLOATS 25

struct BnTerms {
    const float **x, **mean, **invStd;
    float **dx;
    float *w;
};

__device__ __forceinline__ long long bn_term_address(const float *f) {
    return (long long)f[0] | ((long long)f[1] << 16) | ((long long)f[2] << 32) | ((long long)f[3] << 48);
}

// Decodes the table into shared (36 * terms bytes); every thread of the block calls it, and it ends with a barrier.
__device__ __forceinline__ BnTerms bn_terms_load(const float *table, int terms, double *shared) {
    BnTerms b;
    b.x = reinterpret_cast<const float **>(shared);
    b.mean = b.x + terms;
    b.invStd = b.mean + terms;
    b.dx = reinterpret_cast<float **>(shared) + 3 * terms;
    b.w = reinterpret_cast<float *>(b.dx + terms);
    for (int t = threadIdx.x; t < terms; t += blockDim.x) {
        const float *f = table + t * PROXYNAS_BN_TERM_FLOATS;
        b.x[t] = reinterpret_cast<const float *>(bn_term_address(f));
        b.mean[t] = reinterpret_cast<const float *>(bn_term_address(f + 4));
        b.invStd[t] = reinterpret_cast<const float *>(bn_term_address(f + 8));
        b.dx[t] = reinterpret_cast<float *>(bn_term_address(f + 12));
        const float *stored = reinterpret_cast<const float *>(bn_term_address(f + 17));
        b.w[t] = stored ? *stored : f[16];
    }
    __syncthreads();
    return b;
}

// y (+)= sum_t w_t * xhat_t with xhat_t = (x_t - mean_t[c]) * invStd_t[c] folded into one multiply-add per term:
// a = w_t * invStd_t[c], xhat-term = fma(a, x, -a * mean_t[c]); terms without statistics add w_t * x_t rounded as
// weightedSum rounds it. All terms are read before y is written, so y may be one of them.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
bn_weighted_sum_f32(const float *table, int terms, float *y, long long total, int c, int plane, int accumulate) {
    PROXYNAS_DYNAMIC_SHARED(double, bnSumShared);
    BnTerms tt = bn_terms_load(table, terms, bnSumShared);
    PROXYNAS_GRID_STRIDE(e, total) {
        int ch = (int)((e / plane) % c);
        float acc = accumulate ? y[e] : 0.f;
        for (int t = 0; t < terms; t++) {
            float x = tt.x[t][e], w = tt.w[t];
            if (tt.mean[t]) {
                float a = __fmul_rn(w, tt.invStd[t][ch]);
                acc = __fadd_rn(acc, fmaf(a, x, -__fmul_rn(a, tt.mean[t][ch])));
            } else {
                acc = __fadd_rn(acc, __fmul_rn(w, x));
            }
        }
        y[e] = acc;
    }
}

// Backward, split reduction over (term x channel x chunk of the n*plane values): block b = (t * c + ch) * chunks +
// chunk writes partial[2b] = sum dy and partial[2b + 1] = sum dy * (x_t - mean_t) (x_t itself without statistics),
// in double. Blocks of terms that need neither (no statistics, or no dx, and no weight gradient) write zeros.
extern "C" __global__ void __launch_bounds__(PROXYNAS_REDUCE_THREADS)
bn_weighted_sum_backward_partial_f32(const float *table, int terms, const float *dy, double *partial, int n, int c,
                                     int plane, int chunks, long long chunkLen, int wantGrads) {
    __shared__ double red[PROXYNAS_REDUCE_THREADS];
    PROXYNAS_DYNAMIC_SHARED(double, bnPartialShared);
    BnTerms tt = bn_terms_load(table, terms, bnPartialShared);
    long long count = (long long)n * plane, items = (long long)terms * c * chunks;
    for (long long b = blockIdx.x; b < items; b += gridDim.x) {
        int chunk = (int)(b % chunks), ch = (int)((b / chunks) % c), t = (int)(b / chunks / c);
        const float *x = tt.x[t], *meanp = tt.mean[t];
        bool needed = wantGrads || (meanp && tt.dx[t]);
        double s1 = 0.0, s2 = 0.0;
        if (needed) {
            double mean = meanp ? (double)meanp[ch] : 0.0;
            long long end = min(count, (chunk + 1) * chunkLen);
            for (long long i = chunk * chunkLen + threadIdx.x; i < end; i += blockDim.x) {
                long long e = ((i / plane) * c + ch) * plane + i % plane;
                double g = dy[e];
                s1 += g;
                s2 += g * ((double)x[e] - mean);
            }
        }
        s1 = block_sum(s1, red);
        s2 = block_sum(s2, red);
        if (threadIdx.x == 0) {
            partial[2 * b] = s1;
            partial[2 * b + 1] = s2;
        }
    }
}

// Finishing kernel, one thread per (term, channel): the chunks added in order, then batchnorm_backward_f32's
// coefficients for dy_t = w_t * dy (gamma = 1): coef[3i..3i+2] = a, b, c0 with dx = a*dy_t + b*(x - mean) + c0, and
// the weight gradient's per-channel part grads[i] = sum dy * xhat_t = invStd * sum dy * (x - mean) (in double).
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
bn_weighted_sum_backward_finish_f32(const float *table, int terms, const double *partial, float *coef, double *grads,
                                    int c, long long count, int chunks) {
    PROXYNAS_DYNAMIC_SHARED(double, bnFinishShared);
    BnTerms tt = bn_terms_load(table, terms, bnFinishShared);
    double m = (double)count;
    PROXYNAS_GRID_STRIDE(i, (long long)terms * c) {
        int t = (int)(i / c), ch = (int)(i % c);
        double s1 = 0.0, s2 = 0.0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            s1 += partial[2 * (i * chunks + chunk)];
            s2 += partial[2 * (i * chunks + chunk) + 1];
        }
        if (tt.mean[t]) {
            double w = tt.w[t], invStd = tt.invStd[t][ch];
            coef[3 * i] = (float)invStd;
            coef[3 * i + 1] = (float)(-invStd * invStd * invStd * (w * s2) / m);
            coef[3 * i + 2] = (float)(-invStd * (w * s1) / m);
            grads[i] = invStd * s2;
        } else {
            grads[i] = s2;
        }
    }
}

// The weight gradients of a node sum's backward added to the doubles the table names, one thread per term:
// *g_t += the per-channel parts grads[t * c + ch] added in channel order. Terms without an address are skipped.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
bn_weight_grads_add_f64(const float *table, int terms, const double *grads, int c) {
    PROXYNAS_GRID_STRIDE(t, (long long)terms) {
        double *g = reinterpret_cast<double *>(bn_term_address(table + t * PROXYNAS_BN_TERM_FLOATS + 21));
        if (!g) continue;
        double sum = 0.0;
        for (int ch = 0; ch < c; ch++) sum = __dadd_rn(sum, grads[t * c + ch]);
        *g = __dadd_rn(*g, sum);
    }
}

// dx_t (+)= a*dy_t + b*(x_t - mean_t) + c0 with dy_t = w_t * dy (normalised terms) or dy_t itself, rounded as
// batchnorm_backward_f32 and weighted_sum_f32 round; terms without dx are skipped. One pass over dy for all terms.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
bn_weighted_sum_backward_data_f32(const float *table, int terms, const float *coef, const float *dy, long long total,
                                  int c, int plane, int accumulate) {
    PROXYNAS_DYNAMIC_SHARED(double, bnDataShared);
    BnTerms tt = bn_terms_load(table, terms, bnDataShared);
    PROXYNAS_GRID_STRIDE(e, total) {
        int ch = (int)((e / plane) % c);
        float g = dy[e];
        for (int t = 0; t < terms; t++) {
            float *dx = tt.dx[t];
            if (!dx) continue;
            float dop = __fmul_rn(tt.w[t], g), v = dop;
            if (tt.mean[t]) {
                const float *cf = coef + 3 * ((long long)t * c + ch);
                v = __fadd_rn(__fadd_rn(__fmul_rn(cf[0], dop), __fmul_rn(cf[1], tt.x[t][e] - tt.mean[t][ch])), cf[2]);
            }
            dx[e] = accumulate ? __fadd_rn(dx[e], v) : v;
        }
    }
}
