package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.Checks;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/**
 * CPU pooling over NCHW fp32 arrays: max pool, average pool (count_include_pad either way) and global average
 * pool, forward and backward. One task per (image, channel) plane, so every output element is written by one
 * task and the results do not depend on scheduling.
 *
 * <p>Max and average pool sweep the window tap by tap over the output range {@link Window} gives for the tap,
 * like the depthwise conv: padding is never read (for max pool it counts as minus infinity, for average pool
 * as zero). The max-pool backward pass recomputes each window's winner from x, scanning in row-major order and
 * keeping the first maximum, as PyTorch does.
 */
final class CpuPool {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuPool(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** Checked shapes of one pooling call: [n*c planes] of h x w in, ho x wo out. */
    private record Planes(int count, int h, int w, int ho, int wo) {
        int in() { return h * w; }
        int out() { return ho * wo; }
    }

    private Planes check(String inName, Tensor in, String outName, Tensor out, ConvGeom g) {
        SpatialArgs.geometry(g);
        SpatialArgs.image(backend, inName, in);
        int ho = SpatialArgs.outSize(inName, in.h(), g), wo = SpatialArgs.outSize(inName, in.w(), g);
        SpatialArgs.image(backend, outName, out, in.n(), in.c(), ho, wo);
        return new Planes(in.n() * in.c(), in.h(), in.w(), ho, wo);
    }

    // ---- max pool ---------------------------------------------------------------------------------------------

    void maxPoolForward(Tensor x, Tensor y, ConvGeom g) {
        Planes p = check("x", x, "y", y, g);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        int k = g.kernel(), s = g.stride();
        parallel.forEach(p.count(), plane -> {
            int xo = plane * p.in(), yo = plane * p.out();
            Arrays.fill(yd, yo, yo + p.out(), Float.NEGATIVE_INFINITY);
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        ConvRows.maxGather(yd, yo + i * p.wo() + j0,
                                xd, xo + rows.input(ki, i) * p.w() + cols.input(kj, j0), s, len);
                    }
                }
            }
        });
    }

    void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) {
        Planes p = check("x", x, "dy", dy, g);
        SpatialArgs.on(backend, "dx", dx);
        Checks.sameShape("dx", dx, "x", x);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        int k = g.kernel(), s = g.stride(), pad = g.padding(), dil = g.dilation();
        parallel.forEach(p.count(), plane -> {
            int xo = plane * p.in(), yo = plane * p.out();
            if (!accumulate) Arrays.fill(dxd, xo, xo + p.in(), 0f);
            for (int i = 0; i < p.ho(); i++) {
                for (int j = 0; j < p.wo(); j++) {
                    // PyTorch's scan: the first in-bounds tap, then any later tap that is greater (or NaN)
                    int best = -1;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ki = 0; ki < k; ki++) {
                        int r = s * i - pad + ki * dil;
                        if (r < 0 || r >= p.h()) continue;
                        for (int kj = 0; kj < k; kj++) {
                            int c = s * j - pad + kj * dil;
                            if (c < 0 || c >= p.w()) continue;
                            float v = xd[xo + r * p.w() + c];
                            if (best < 0 || v > max || Float.isNaN(v)) {
                                best = r * p.w() + c;
                                max = v;
                            }
                        }
                    }
                    if (best >= 0) dxd[xo + best] += dyd[yo + i * p.wo() + j];
                }
            }
        });
    }

    // ---- average pool -----------------------------------------------------------------------------------------

    /**
     * The divisor of every output pixel: k*k with countIncludePad, otherwise the number of taps inside the
     * input (rows inside times columns inside).
     */
    private static float[] divisors(Planes p, ConvGeom g, Window rows, Window cols, boolean countIncludePad) {
        float[] div = new float[p.out()];
        for (int i = 0; i < p.ho(); i++) {
            for (int j = 0; j < p.wo(); j++) {
                div[i * p.wo() + j] = countIncludePad
                        ? g.kernel() * g.kernel()
                        : rows.inside(i) * cols.inside(j);
            }
        }
        return div;
    }

    void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) {
        Planes p = check("x", x, "y", y, g);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        float[] div = divisors(p, g, rows, cols, countIncludePad);
        int k = g.kernel(), s = g.stride();
        parallel.forEach(p.count(), plane -> {
            int xo = plane * p.in(), yo = plane * p.out();
            Arrays.fill(yd, yo, yo + p.out(), 0f);
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        ConvRows.addGather(yd, yo + i * p.wo() + j0,
                                xd, xo + rows.input(ki, i) * p.w() + cols.input(kj, j0), s, len);
                    }
                }
            }
            for (int o = 0; o < p.out(); o++) yd[yo + o] /= div[o];
        });
    }

    void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) {
        Planes p = check("dx", dx, "dy", dy, g);
        float[] dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        float[] div = divisors(p, g, rows, cols, countIncludePad);
        int k = g.kernel(), s = g.stride();
        parallel.chunks(p.count(), (chunk, first, end) -> {
            float[] share = new float[p.out()];   // dy / divisor: what each tap of a window receives
            for (int plane = first; plane < end; plane++) {
                int xo = plane * p.in(), yo = plane * p.out();
                for (int o = 0; o < p.out(); o++) share[o] = dyd[yo + o] / div[o];
                if (!accumulate) Arrays.fill(dxd, xo, xo + p.in(), 0f);
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++) {
                        int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                        if (len <= 0) continue;
                        for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                            int dst = xo + rows.input(ki, i) * p.w() + cols.input(kj, j0), src = i * p.wo() + j0;
                            if (s == 1) ConvRows.add(dxd, dst, share, src, len);
                            else ConvRows.addScatter(dxd, dst, s, share, src, len);
                        }
                    }
                }
            }
        });
    }

    // ---- global average pool ----------------------------------------------------------------------------------

    void globalAvgPoolForward(Tensor x, Tensor y) {
        SpatialArgs.image(backend, "x", x);
        SpatialArgs.image(backend, "y", y, x.n(), x.c(), 1, 1);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        int plane = x.plane();
        parallel.forEach(x.n() * x.c(), nc -> yd[nc] = (float) (ConvRows.sumDouble(xd, nc * plane, plane) / plane));
    }

    void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) {
        SpatialArgs.image(backend, "dx", dx);
        SpatialArgs.image(backend, "dy", dy, dx.n(), dx.c(), 1, 1);
        float[] dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        int plane = dx.plane();
        parallel.forEach(dx.n() * dx.c(), nc -> {
            float share = dyd[nc] / plane;
            int o = nc * plane;
            if (accumulate) {
                for (int i = 0; i < plane; i++) dxd[o + i] += share;
            } else {
                Arrays.fill(dxd, o, o + plane, share);
            }
        });
    }
}
