// Dense family of org.proxynas.tensor.Kernels: linear layers and batched matrix products (one gather kernel),
// the LSTM cell, and dropout. fp32, one thread per output element in a grid-stride loop.
//
// Products reproduce the CPU reference (java/org/proxynas/cpu/CpuDense.java) bit for bit: each output element
// starts from its initial value (zero, the output itself, or the bias) and adds the terms over k in order, four at
// a time as acc + (((a0 b0 + a1 b1) + a2 b2) + a3 b3), then one at a time; every product and sum rounded once
// (__fmul_rn/__fadd_rn, no FMA). The LSTM cell uses double tanh/exp rounded once to float, as the CPU does.
// Dropout uses CpuElementwise.dropoutUniform's counter-based hash (splitmix64), so masks match bit for bit.
#include "common.cuh"

// C[b,i,j] = init + sum_t A[b,i,t] B[b,t,j], with A[b,i,t] = A[b*aBatch + i*aRow + t*aCol] and
// B[b,t,j] = B[b*bBatch + t*bRow + j*bCol]; C is dense [batches, m, n]. init: 0 zero, 1 C itself, 2 bias[j].
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
matmul_f32(const float *A, const float *B, float *C, const float *bias, int batches, int m, int k, int n,
           long long aBatch, long long aRow, long long aCol, long long bBatch, long long bRow, long long bCol,
           int init) {
    long long total = (long long)batches * m * n;
    PROXYNAS_GRID_STRIDE(e, total) {
        long long b = e / ((long long)m * n);
        int i = (int)((e / n) % m), j = (int)(e % n);
        const float *a = A + b * aBatch + i * aRow;
        const float *bb = B + b * bBatch + j * bCol;
        float acc = init == 1 ? C[e] : init == 2 ? bias[j] : 0.f;
        int t = 0;
        for (; t + 3 < k; t += 4) {
            float s = __fmul_rn(a[t * aCol], bb[t * bRow]);
            s = __fadd_rn(s, __fmul_rn(a[(t + 1) * aCol], bb[(t + 1) * bRow]));
            s = __fadd_rn(s, __fmul_rn(a[(t + 2) * aCol], bb[(t + 2) * bRow]));
            s = __fadd_rn(s, __fmul_rn(a[(t + 3) * aCol], bb[(t + 3) * bRow]));
            acc = __fadd_rn(acc, s);
        }
        for (; t < k; t++) acc = __fadd_rn(acc, __fmul_rn(a[t * aCol], bb[t * bRow]));
        C[e] = acc;
    }
}

// db[o] += column sum of dy [n, out], summed in double over the rows in order and rounded once.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
column_sums_f32(const float *dy, float *db, int n, int out) {
    PROXYNAS_GRID_STRIDE(o, (long long)out) {
        double s = 0.0;
        for (int r = 0; r < n; r++) s += (double)dy[(long long)r * out + o];
        db[o] = __fadd_rn(db[o], (float)s);
    }
}

__device__ __forceinline__ float lstm_sigmoid(float x) { return (float)(1.0 / (1.0 + exp(-(double)x))); }

// One LSTM cell step, gate order (i, f, g, o); element by element, so act may be gates and c may be cPrev.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
lstm_cell_forward_f32(const float *gates, const float *cPrev, float *act, float *c, float *h, int n, int hid) {
    PROXYNAS_GRID_STRIDE(e, (long long)n * hid) {
        long long row = e / hid, j = e % hid, go = row * 4 * hid;
        // each gate is written as soon as it is formed (act may be gates: only the same element aliases)
        float ig = lstm_sigmoid(gates[go + j]);
        act[go + j] = ig;
        float fg = lstm_sigmoid(gates[go + hid + j]);
        act[go + hid + j] = fg;
        float cv = __fmul_rn(fg, cPrev[e]);
        float gg = (float)tanh((double)gates[go + 2 * hid + j]);
        act[go + 2 * hid + j] = gg;
        cv = __fadd_rn(cv, __fmul_rn(ig, gg));
        float og = lstm_sigmoid(gates[go + 3 * hid + j]);
        act[go + 3 * hid + j] = og;
        c[e] = cv;
        h[e] = __fmul_rn(og, (float)tanh((double)cv));
    }
}

// Backward of one LSTM cell step (CpuDense.lstmCellBackward's formulas and order); dcNext may be null.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
lstm_cell_backward_f32(const float *act, const float *cPrev, const float *c, const float *dh, const float *dcNext,
                       float *dgates, float *dcPrev, int n, int hid) {
    PROXYNAS_GRID_STRIDE(e, (long long)n * hid) {
        long long row = e / hid, j = e % hid, go = row * 4 * hid;
        float ig = act[go + j], fg = act[go + hid + j], gg = act[go + 2 * hid + j], og = act[go + 3 * hid + j];
        float tc = (float)tanh((double)c[e]);
        float dhv = dh[e];
        float dc = __fadd_rn(__fmul_rn(__fmul_rn(dhv, og), 1.f - __fmul_rn(tc, tc)), dcNext ? dcNext[e] : 0.f);
        float cp = cPrev[e];
        dgates[go + j] = __fmul_rn(__fmul_rn(__fmul_rn(dc, gg), ig), 1.f - ig);
        dgates[go + hid + j] = __fmul_rn(__fmul_rn(__fmul_rn(dc, cp), fg), 1.f - fg);
        dgates[go + 2 * hid + j] = __fmul_rn(__fmul_rn(dc, ig), 1.f - __fmul_rn(gg, gg));
        dgates[go + 3 * hid + j] = __fmul_rn(__fmul_rn(__fmul_rn(dhv, tc), og), 1.f - og);
        dcPrev[e] = __fmul_rn(dc, fg);
    }
}

// CpuElementwise.splitmix64 / dropoutUniform: the top 24 bits of splitmix64(seed ^ (index * GOLDEN)) / 2^24.
__device__ __forceinline__ float dropout_uniform(unsigned long long seed, unsigned long long index) {
    const unsigned long long golden = 0x9E3779B97F4A7C15ULL;
    unsigned long long z = (seed ^ (index * golden)) + golden;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (float)(unsigned)(z >> 40) * 0x1.0p-24f;
}

// Inverted dropout: mask = dropout_uniform(seed, i) < p ? 0 : keep (keep = 1f / (1f - p) from the host); y = x mask.
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
dropout_f32(const float *x, float *y, float *mask, float p, float keep, long long seed, long long n) {
    PROXYNAS_GRID_STRIDE(i, n) {
        float m = dropout_uniform((unsigned long long)seed, (unsigned long long)i) < p ? 0.f : keep;
        mask[i] = m;
        y[i] = __fmul_rn(x[i], m);
    }
}
