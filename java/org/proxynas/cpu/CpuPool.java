package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.PoolChecks;
import org.proxynas.tensor.PoolChecks.Planes;
import org.proxynas.tensor.PoolKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU pooling over NCHW fp32 arrays: max pool, average pool (count_include_pad either way) and global average
 * pool, forward and backward. One task per (image, channel) plane, so every output element is written by one
 * task and the results do not depend on scheduling.
 *
 * <p>Stride 1 (the DARTS normal cell) runs on padded copies of each plane, like the depthwise conv
 * ({@link PaddedPlane}): the padding holds minus infinity for max pool and zero for average pool, average pool
 * is a conv with a kernel of ones followed by the division, and its backward pass the transposed conv. Max pool
 * at stride 2 (the reduction cell) takes the same vectorised stride-1 pass and keeps every second row and column:
 * four times the windows, still 1.3-2.4x faster than the scalar sweep (benchmarks/RESULTS.md), and exact. Other strides sweep
 * the window tap by tap over the output range {@link Window} gives for the tap (padding is never read). The
 * max-pool backward pass recomputes each window's winner from x, scanning in row-major order and keeping the first
 * maximum, as PyTorch does.
 */
final class CpuPool implements PoolKernels {
    /** Up to this stride, max pool runs the padded stride-1 pass and subsamples it (s^2 times the windows). */
    private static final int PADDED_MAX_STRIDE = 2;

    private final CpuBackend backend;
    private final Parallel parallel;

    CpuPool(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    // ---- max pool ---------------------------------------------------------------------------------------------

    @Override public void maxPoolForward(Tensor x, Tensor y, ConvGeom g) {
        Planes p = PoolChecks.maxPoolForward(backend, x, y, g);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        int s = g.stride();
        if (s <= PADDED_MAX_STRIDE) {
            PaddedPlane pp = new PaddedPlane(g.kernel(), g.dilation(), g.padding(), p.h(), p.w());
            parallel.chunks(p.count(), (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newMaxPoolScratch();
                for (int plane = first; plane < end; plane++) {
                    pp.load(xd, plane * p.in(), sc);
                    pp.maxPool(sc);
                    if (s == 1) {
                        pp.store(sc, yd, plane * p.out());
                    } else {
                        int yo = plane * p.out();
                        for (int i = 0; i < p.ho(); i++) {
                            for (int j = 0; j < p.wo(); j++) yd[yo + i * p.wo() + j] = sc.out[s * (i * pp.wp + j)];
                        }
                    }
                }
            });
            return;
        }
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        int k = g.kernel();
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

    @Override public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) {
        Planes p = PoolChecks.maxPoolBackward(backend, x, dy, dx, g);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        int s = g.stride();
        if (s <= PADDED_MAX_STRIDE) {
            // the window maxima and each window's first tap equal to its maximum, both with vectorised passes;
            // a NaN maximum or an all minus-infinity window (padding is minus infinity too) takes the exact scan.
            // Stride 1 gathers dx in the padded layout; stride 2 adds straight into dx in output order, as the
            // scalar sweep did, so its sums round exactly as before.
            PaddedPlane pp = new PaddedPlane(g.kernel(), g.dilation(), g.padding(), p.h(), p.w());
            int[] offsets = pp.offsets();
            parallel.chunks(p.count(), (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newMaxPoolScratch();
                float[] grad = s == 1 ? new float[pp.size] : null;   // dx in the padded layout
                float[] tapOf = new float[pp.len];                    // each window's winning tap
                for (int plane = first; plane < end; plane++) {
                    int xo = plane * p.in(), yo = plane * p.out();
                    pp.load(xd, xo, sc);
                    pp.maxPool(sc);
                    pp.firstMaxTaps(sc, tapOf);
                    if (s == 1) Arrays.fill(grad, 0f);
                    else if (!accumulate) Arrays.fill(dxd, xo, xo + p.in(), 0f);
                    float[] max = sc.out;
                    for (int i = 0; i < p.ho(); i++) {
                        for (int j = 0; j < p.wo(); j++) {
                            int t = s * (i * pp.wp + j);
                            float m = max[t];
                            int win;   // the winner's padded-layout index
                            if (m == m && m != Float.NEGATIVE_INFINITY) {
                                win = t + offsets[(int) tapOf[t]];
                            } else {
                                int q = firstMax(xd, xo, p, g, i, j);
                                if (q < 0) continue;
                                win = pp.paddedIndex(q / p.w(), q % p.w());
                            }
                            float share = dyd[yo + i * p.wo() + j];
                            if (s == 1) grad[win] += share;
                            else dxd[xo + pp.interiorIndex(win)] += share;
                        }
                    }
                    if (s == 1) pp.storeInterior(grad, dxd, xo, accumulate);
                }
            });
            return;
        }
        parallel.forEach(p.count(), plane -> {
            int xo = plane * p.in(), yo = plane * p.out();
            if (!accumulate) Arrays.fill(dxd, xo, xo + p.in(), 0f);
            for (int i = 0; i < p.ho(); i++) {
                for (int j = 0; j < p.wo(); j++) {
                    int win = firstMax(xd, xo, p, g, i, j);
                    if (win >= 0) dxd[xo + win] += dyd[yo + i * p.wo() + j];
                }
            }
        });
    }

    /**
     * The winner of output (i, j)'s window as PyTorch picks it: the first tap inside the input, then any later
     * tap that is greater (or NaN), scanning in row-major order. Its index in the plane, or -1 for a window
     * with no tap inside the input.
     */
    private static int firstMax(float[] x, int xo, Planes p, ConvGeom g, int i, int j) {
        int k = g.kernel(), best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int ki = 0; ki < k; ki++) {
            int r = g.stride() * i - g.padding() + ki * g.dilation();
            if (r < 0 || r >= p.h()) continue;
            for (int kj = 0; kj < k; kj++) {
                int c = g.stride() * j - g.padding() + kj * g.dilation();
                if (c < 0 || c >= p.w()) continue;
                float v = x[xo + r * p.w() + c];
                if (best < 0 || v > max || Float.isNaN(v)) {
                    best = r * p.w() + c;
                    max = v;
                }
            }
        }
        return best;
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

    @Override public void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) {
        Planes p = PoolChecks.avgPoolForward(backend, x, y, g);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        float[] div = divisors(p, g, rows, cols, countIncludePad);
        int k = g.kernel(), s = g.stride();
        if (s == 1) {
            // a k x k conv with a kernel of ones on the zero-padded plane, then a division in the same layout
            PaddedPlane pp = new PaddedPlane(k, g.dilation(), g.padding(), p.h(), p.w());
            float[] ones = ones(k), flatDiv = new float[pp.len];
            Arrays.fill(flatDiv, 1f);
            for (int i = 0; i < p.ho(); i++) System.arraycopy(div, i * p.wo(), flatDiv, i * pp.wp, p.wo());
            parallel.chunks(p.count(), (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newScratch();
                for (int plane = first; plane < end; plane++) {
                    pp.load(xd, plane * p.in(), sc);
                    pp.convolve(sc, ones, 0, false);
                    ConvRows.divide(sc.out, flatDiv, pp.len);
                    pp.store(sc, yd, plane * p.out());
                }
            });
            return;
        }
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

    @Override public void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) {
        Planes p = PoolChecks.avgPoolBackward(backend, dy, dx, g);
        float[] dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        Window rows = Window.of(g, p.h(), p.ho()), cols = Window.of(g, p.w(), p.wo());
        float[] div = divisors(p, g, rows, cols, countIncludePad);
        int k = g.kernel(), s = g.stride(), flippedPad = (k - 1) * g.dilation() - g.padding();
        if (s == 1 && flippedPad >= 0) {
            // the transposed pool: the shares dy / divisor, convolved with a kernel of ones at the flipped padding
            PaddedPlane pp = new PaddedPlane(k, g.dilation(), flippedPad, p.ho(), p.wo());
            float[] ones = ones(k);
            parallel.chunks(p.count(), (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newScratch();
                float[] share = new float[p.out()];
                for (int plane = first; plane < end; plane++) {
                    int xo = plane * p.in(), yo = plane * p.out();
                    for (int o = 0; o < p.out(); o++) share[o] = dyd[yo + o] / div[o];
                    pp.load(share, 0, sc);
                    if (accumulate) pp.loadOutput(dxd, xo, sc.out);
                    pp.convolve(sc, ones, 0, accumulate);
                    pp.store(sc, dxd, xo);
                }
            });
            return;
        }
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

    private static float[] ones(int k) {
        float[] ones = new float[k * k];
        Arrays.fill(ones, 1f);
        return ones;
    }

    // ---- global average pool ----------------------------------------------------------------------------------

    @Override public void globalAvgPoolForward(Tensor x, Tensor y) {
        PoolChecks.globalAvgPoolForward(backend, x, y);
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        int plane = x.plane();
        parallel.forEach(x.n() * x.c(), nc -> yd[nc] = (float) (ConvRows.sumDouble(xd, nc * plane, plane) / plane));
    }

    @Override public void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) {
        PoolChecks.globalAvgPoolBackward(backend, dy, dx);
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
