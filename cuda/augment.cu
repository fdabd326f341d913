// Data augmentation of org.proxynas.tensor.Kernels.augment (see the AugmentPlan javadoc): pad, crop, flip,
// normalise and cutout of stored images into a batch, fp32 NCHW, one thread per output element in a grid-stride
// loop (PROXYNAS_EW_THREADS). Bit-identical to the CPU reference (CpuAugment): the per-channel scale
// 1/(255*std) and shift -mean/std are computed on the host exactly as there, and p*scale + shift is rounded as Java
// rounds it (__fmul_rn then __fadd_rn, no FMA).
#include "common.cuh"

// rows holds the plan's per-row ints, 6 per batch row: index, cropY, cropX, flip (0/1), cutY, cutX; params holds
// scale[c] then shift[c]. out[r,ch,y,x] = src[idx, ch, cropY-pad+y, cropX-pad+x'] * scale + shift (x' = flip ?
// w-1-x : x), shift in the padding, 0 inside the clipped cutout square (when cut > 0).
extern "C" __global__ void __launch_bounds__(PROXYNAS_EW_THREADS)
augment_f32(const float *src, const int *rows, const float *params, float *out, int b, int c, int h, int w, int pad,
            int cut) {
    long long total = (long long)b * c * h * w;
    PROXYNAS_GRID_STRIDE(idx, total) {
        long long rc = idx / ((long long)h * w);
        int q = (int)(idx - rc * h * w), y = q / w, x = q % w;
        int r = (int)(rc / c), ch = (int)(rc % c);
        const int *row = rows + 6 * (long long)r;
        float v;
        if (cut > 0 && y >= row[4] - cut / 2 && y < row[4] - cut / 2 + cut && x >= row[5] - cut / 2
                && x < row[5] - cut / 2 + cut) {
            v = 0.f;
        } else {
            float t = params[c + ch];
            int sy = row[1] - pad + y, sx = row[2] - pad + (row[3] ? w - 1 - x : x);
            if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                v = t;
            } else {
                float p = src[(((long long)row[0] * c + ch) * h + sy) * w + sx];
                v = __fadd_rn(__fmul_rn(p, params[ch]), t);
            }
        }
        out[idx] = v;
    }
}
