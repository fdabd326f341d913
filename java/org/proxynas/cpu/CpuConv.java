package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.Checks;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/**
 * CPU convolutions over NCHW fp32 arrays, no bias: depthwise k x k, pointwise 1x1 (with stride and pixel
 * offset, for FactorizedReduce) and dense (groups 1: the stem and the auxiliary head). Weights are laid out as
 * in PyTorch: depthwise [C,1,k,k], pointwise [Cout,Cin,1,1], dense [Cout,Cin,k,k].
 *
 * <p>How the work is cut:
 * <ul>
 *   <li>Depthwise: one task per (image, channel) plane. Inside a plane the loops run tap by tap, then output
 *       row by output row, over the column range {@link Window} computed for that tap, so the inner loop is a
 *       contiguous (stride 1) row update with no bounds checks and no padding reads.</li>
 *   <li>Pointwise: per image a GEMM Y[co,p] = sum_ci W[co,ci] X[ci,p] with the pixel loop innermost
 *       ({@link ConvRows#combine}); stride 1, offset 0 reads x in place, other strides gather the sampled
 *       pixels into a scratch image first (and scatter on the way back).</li>
 *   <li>Dense: im2col per image into a [Cin*k*k, Ho*Wo] scratch, then the pointwise GEMM.</li>
 *   <li>Filter gradients of depthwise and pointwise convs are reduced over the batch with
 *       {@link Parallel#chunks}: each chunk owns a partial buffer, and the partials are added in chunk order.
 *       The dense filter gradient is split by output channel instead (each task owns its rows of dw and runs
 *       over the whole batch in order), which needs no partial buffer of size Cout*Cin*k*k per chunk (1.5 MB
 *       for the auxiliary head's 2x2 conv). Either way results are bit-identical run to run.</li>
 * </ul>
 */
final class CpuConv {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuConv(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    // ---- depthwise -------------------------------------------------------------------------------------------

    /** The shapes of one depthwise or dense conv call, checked. */
    private record Shape(int n, int cin, int h, int w, int cout, int ho, int wo, int k) {
        int inPlane() { return h * w; }
        int outPlane() { return ho * wo; }
        int taps() { return k * k; }
    }

    /**
     * Checks a depthwise (w [C,1,k,k]) or dense (w [Cout,Cin,k,k]) conv call. in is the input-side image (x or
     * dx), out the output-side one (y or dy), whose shape must be [N, Cout, outSize(H), outSize(W)].
     */
    private Shape check(boolean depthwise, String inName, Tensor in, String wName, Tensor w, String outName,
                        Tensor out, ConvGeom g) {
        SpatialArgs.geometry(g);
        SpatialArgs.image(backend, inName, in);
        int n = in.n(), cin = in.c(), h = in.h(), wd = in.w(), k = g.kernel();
        int ho = SpatialArgs.outSize(inName, h, g), wo = SpatialArgs.outSize(inName, wd, g);
        SpatialArgs.on(backend, wName, w);
        if (depthwise) Checks.shape(wName, w, cin, 1, k, k);
        else Checks.shape(wName, w, -1, cin, k, k);
        int cout = depthwise ? cin : w.dim(0);
        SpatialArgs.image(backend, outName, out, n, cout, ho, wo);
        return new Shape(n, cin, h, wd, cout, ho, wo, k);
    }

    void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Shape s = check(true, "x", x, "w", w, "y", y, g);
        float[] xd = CpuBackend.data(x), wd = CpuBackend.data(w), yd = CpuBackend.data(y);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int c = s.cin(), kk = s.taps();
        parallel.forEach(s.n() * c, plane -> {
            int yo = plane * s.outPlane();
            Arrays.fill(yd, yo, yo + s.outPlane(), 0f);
            planeForward(xd, plane * s.inPlane(), s.w(), wd, (plane % c) * kk, yd, yo, s.wo(), rows, cols);
        });
    }

    void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Shape s = check(true, "dx", dx, "w", w, "dy", dy, g);
        float[] dyd = CpuBackend.data(dy), wd = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int c = s.cin(), kk = s.taps();
        parallel.forEach(s.n() * c, plane -> {
            int xo = plane * s.inPlane();
            if (!accumulate) Arrays.fill(dxd, xo, xo + s.inPlane(), 0f);
            planeBackwardData(dyd, plane * s.outPlane(), s.wo(), wd, (plane % c) * kk, dxd, xo, s.w(), rows, cols);
        });
    }

    void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Shape s = check(true, "x", x, "dw", dw, "dy", dy, g);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int c = s.cin(), kk = s.taps(), size = c * kk;
        float[] partial = new float[parallel.chunkCount(s.n()) * size];
        parallel.chunks(s.n(), (chunk, n0, n1) -> {
            float[] acc = new float[kk * s.wo()];
            for (int n = n0; n < n1; n++) {
                for (int ch = 0; ch < c; ch++) {
                    int plane = n * c + ch;
                    planeFilter(xd, plane * s.inPlane(), s.w(), dyd, plane * s.outPlane(), s.wo(),
                            acc, partial, chunk * size + ch * kk, rows, cols);
                }
            }
        });
        addPartials(partial, size, dwd, 0);
    }

    /** y += conv(x, w) for one plane: w holds the k*k taps at wo. */
    private static void planeForward(float[] x, int xo, int inW, float[] w, int wo, float[] y, int yo, int outW,
                                     Window rows, Window cols) {
        int k = rows.taps(), s = rows.stride();
        for (int ki = 0; ki < k; ki++) {
            int i0 = rows.lo()[ki], i1 = rows.hi()[ki];
            if (i0 >= i1) continue;
            for (int kj = 0; kj < k; kj++) {
                int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                if (len <= 0) continue;
                float a = w[wo + ki * k + kj];
                int xc = cols.input(kj, j0);
                if (s == 1 && len == outW && outW == inW) {
                    // the tap covers whole rows (so xc = 0) of same-width planes: rows i0..i1 are one long update
                    ConvRows.axpy(y, yo + i0 * outW, a, x, xo + rows.input(ki, i0) * inW + xc, (i1 - i0) * outW);
                    continue;
                }
                for (int i = i0; i < i1; i++) {
                    int yr = yo + i * outW + j0, xr = xo + rows.input(ki, i) * inW + xc;
                    if (s == 1) ConvRows.axpy(y, yr, a, x, xr, len);
                    else ConvRows.axpyGather(y, yr, a, x, xr, s, len);
                }
            }
        }
    }

    /** dx += the input gradient of {@link #planeForward}, for one plane. */
    private static void planeBackwardData(float[] dy, int dyo, int outW, float[] w, int wo, float[] dx, int xo,
                                          int inW, Window rows, Window cols) {
        int k = rows.taps(), s = rows.stride();
        for (int ki = 0; ki < k; ki++) {
            int i0 = rows.lo()[ki], i1 = rows.hi()[ki];
            if (i0 >= i1) continue;
            for (int kj = 0; kj < k; kj++) {
                int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                if (len <= 0) continue;
                float a = w[wo + ki * k + kj];
                int xc = cols.input(kj, j0);
                if (s == 1 && len == outW && outW == inW) {
                    ConvRows.axpy(dx, xo + rows.input(ki, i0) * inW + xc, a, dy, dyo + i0 * outW, (i1 - i0) * outW);
                    continue;
                }
                for (int i = i0; i < i1; i++) {
                    int yr = dyo + i * outW + j0, xr = xo + rows.input(ki, i) * inW + xc;
                    if (s == 1) ConvRows.axpy(dx, xr, a, dy, yr, len);
                    else ConvRows.axpyScatter(dx, xr, s, a, dy, yr, len);
                }
            }
        }
    }

    /**
     * g[go + tap] += sum over the plane of dy * (x under that tap). The products are first summed column-wise
     * into acc (kk rows of outW, a vectorised update per output row), then each acc row is reduced and cleared.
     */
    private static void planeFilter(float[] x, int xo, int inW, float[] dy, int dyo, int outW, float[] acc,
                                    float[] g, int go, Window rows, Window cols) {
        int k = rows.taps(), s = rows.stride();
        for (int ki = 0; ki < k; ki++) {
            int i0 = rows.lo()[ki], i1 = rows.hi()[ki];
            for (int kj = 0; kj < k; kj++) {
                int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                if (len <= 0 || i0 >= i1) continue;
                int tap = ki * k + kj, ar = tap * outW;
                int xc = cols.input(kj, j0);
                for (int i = i0; i < i1; i++) {
                    ConvRows.mulAdd(acc, ar + j0, dy, dyo + i * outW + j0, x, xo + rows.input(ki, i) * inW + xc, s, len);
                }
                g[go + tap] += ConvRows.sum(acc, ar, outW);
                Arrays.fill(acc, ar, ar + outW, 0f);
            }
        }
    }

    /** dst[dstOff + i] += sum over chunks (in chunk order, in double) of partial[chunk*size + i]. */
    private static void addPartials(float[] partial, int size, float[] dst, int dstOff) {
        int chunks = partial.length / size;
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int c = 0; c < chunks; c++) s += partial[c * size + i];
            dst[dstOff + i] = (float) (dst[dstOff + i] + s);
        }
    }

    // ---- pointwise -------------------------------------------------------------------------------------------

    /** Checks stride/offset against the sampled grid: offset + stride*(out-1) must stay inside the input. */
    private static void checkSampling(int stride, int offset, int h, int w, int ho, int wo, String outName) {
        Checks.positive("stride", stride);
        Checks.nonNegative("offset", offset);
        long lastRow = offset + (long) stride * (ho - 1), lastCol = offset + (long) stride * (wo - 1);
        if (lastRow >= h || lastCol >= w) {
            throw new IllegalArgumentException("offset " + offset + " and stride " + stride + " with " + outName
                    + " of " + ho + "x" + wo + " read input pixel (" + lastRow + ", " + lastCol
                    + ") outside the " + h + "x" + w + " input");
        }
    }

    void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) {
        SpatialArgs.image(backend, "x", x);
        int n = x.n(), cin = x.c(), h = x.h(), wd = x.w();
        SpatialArgs.on(backend, "w", w);
        Checks.shape("w", w, -1, cin, 1, 1);
        int cout = w.dim(0);
        SpatialArgs.image(backend, "y", y);
        SpatialArgs.image(backend, "y", y, n, cout, y.h(), y.w());
        int ho = y.h(), wo = y.w();
        checkSampling(stride, offset, h, wd, ho, wo, "y");
        float[] xd = CpuBackend.data(x), wdat = CpuBackend.data(w), yd = CpuBackend.data(y);
        int p = h * wd, po = ho * wo;
        if (isDirect(stride, offset, h, wd, ho, wo)) {
            parallel.forEach(n * cout, item -> {
                int img = item / cout, co = item % cout;
                ConvRows.combine(yd, item * p, wdat, co * cin, 1, xd, img * cin * p, p, cin, p, false);
            });
        } else {
            parallel.chunks(n, (chunk, n0, n1) -> {
                float[] xs = new float[cin * po];
                for (int img = n0; img < n1; img++) {
                    gather(xd, img * cin * p, cin, h, wd, stride, offset, ho, wo, xs);
                    for (int co = 0; co < cout; co++) {
                        ConvRows.combine(yd, (img * cout + co) * po, wdat, co * cin, 1, xs, 0, po, cin, po, false);
                    }
                }
            });
        }
    }

    void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) {
        SpatialArgs.on(backend, "w", w);
        Checks.shape("w", w, -1, -1, 1, 1);
        int cout = w.dim(0), cin = w.dim(1);
        SpatialArgs.image(backend, "dy", dy);
        int n = dy.n(), ho = dy.h(), wo = dy.w();
        SpatialArgs.image(backend, "dy", dy, n, cout, ho, wo);
        SpatialArgs.image(backend, "dx", dx);
        int h = dx.h(), wd = dx.w();
        SpatialArgs.image(backend, "dx", dx, n, cin, h, wd);
        checkSampling(stride, offset, h, wd, ho, wo, "dy");
        float[] dyd = CpuBackend.data(dy), wdat = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        int p = h * wd, po = ho * wo;
        if (isDirect(stride, offset, h, wd, ho, wo)) {
            parallel.forEach(n * cin, item -> {
                int img = item / cin, ci = item % cin;
                ConvRows.combine(dxd, item * p, wdat, ci, cin, dyd, img * cout * p, p, cout, p, accumulate);
            });
        } else {
            parallel.chunks(n, (chunk, n0, n1) -> {
                float[] dxs = new float[cin * po];
                for (int img = n0; img < n1; img++) {
                    for (int ci = 0; ci < cin; ci++) {
                        ConvRows.combine(dxs, ci * po, wdat, ci, cin, dyd, img * cout * po, po, cout, po, false);
                    }
                    scatter(dxs, cin, ho, wo, stride, offset, dxd, img * cin * p, h, wd, accumulate);
                }
            });
        }
    }

    void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        SpatialArgs.image(backend, "x", x);
        int n = x.n(), cin = x.c(), h = x.h(), wd = x.w();
        SpatialArgs.on(backend, "dw", dw);
        Checks.shape("dw", dw, -1, cin, 1, 1);
        int cout = dw.dim(0);
        SpatialArgs.image(backend, "dy", dy);
        SpatialArgs.image(backend, "dy", dy, n, cout, dy.h(), dy.w());
        int ho = dy.h(), wo = dy.w();
        checkSampling(stride, offset, h, wd, ho, wo, "dy");
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        int p = h * wd, po = ho * wo, size = cout * cin;
        boolean direct = isDirect(stride, offset, h, wd, ho, wo);
        float[] partial = new float[parallel.chunkCount(n) * size];
        parallel.chunks(n, (chunk, n0, n1) -> {
            float[] xs = direct ? xd : new float[cin * po];
            for (int img = n0; img < n1; img++) {
                int xo = img * cin * p;
                if (!direct) {
                    gather(xd, xo, cin, h, wd, stride, offset, ho, wo, xs);
                    xo = 0;
                }
                ConvRows.accumulateProducts(partial, chunk * size, dyd, img * cout * po, xs, xo, cout, cin, po);
            }
        });
        addPartials(partial, size, dwd, 0);
    }

    /** Stride 1, offset 0 over the whole input: x is used in place. */
    private static boolean isDirect(int stride, int offset, int h, int w, int ho, int wo) {
        return stride == 1 && offset == 0 && ho == h && wo == w;
    }

    /** xs[c, i, j] = x[xo + c*h*w + (offset + stride*i)*w + offset + stride*j] for every channel. */
    private static void gather(float[] x, int xo, int channels, int h, int w, int stride, int offset,
                               int ho, int wo, float[] xs) {
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ho; i++) {
                int src = xo + c * h * w + (offset + stride * i) * w + offset, dst = (c * ho + i) * wo;
                for (int j = 0; j < wo; j++) xs[dst + j] = x[src + stride * j];
            }
        }
    }

    /** The adjoint of {@link #gather}: dx (+)= dxs placed on the sampled grid (and zero elsewhere). */
    private static void scatter(float[] dxs, int channels, int ho, int wo, int stride, int offset,
                                float[] dx, int xo, int h, int w, boolean accumulate) {
        if (!accumulate) Arrays.fill(dx, xo, xo + channels * h * w, 0f);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ho; i++) {
                ConvRows.addScatter(dx, xo + c * h * w + (offset + stride * i) * w + offset, stride,
                        dxs, (c * ho + i) * wo, wo);
            }
        }
    }

    // ---- dense -----------------------------------------------------------------------------------------------

    void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Shape s = check(false, "x", x, "w", w, "y", y, g);
        float[] xd = CpuBackend.data(x), wd = CpuBackend.data(w), yd = CpuBackend.data(y);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane();
        parallel.chunks(s.n(), (chunk, n0, n1) -> {
            float[] col = new float[r * po];
            for (int n = n0; n < n1; n++) {
                im2col(xd, n * s.cin() * s.inPlane(), s, rows, cols, col);
                for (int co = 0; co < s.cout(); co++) {
                    ConvRows.combine(yd, (n * s.cout() + co) * po, wd, co * r, 1, col, 0, po, r, po, false);
                }
            }
        });
    }

    void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Shape s = check(false, "dx", dx, "w", w, "dy", dy, g);
        float[] dyd = CpuBackend.data(dy), wd = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane();
        parallel.chunks(s.n(), (chunk, n0, n1) -> {
            float[] col = new float[r * po];
            for (int n = n0; n < n1; n++) {
                for (int t = 0; t < r; t++) {
                    ConvRows.combine(col, t * po, wd, t, r, dyd, n * s.cout() * po, po, s.cout(), po, false);
                }
                int xo = n * s.cin() * s.inPlane();
                if (!accumulate) Arrays.fill(dxd, xo, xo + s.cin() * s.inPlane(), 0f);
                col2im(col, s, rows, cols, dxd, xo);
            }
        });
    }

    void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Shape s = check(false, "x", x, "dw", dw, "dy", dy, g);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane(), cout = s.cout();
        int blocks = Math.min(cout, 4 * parallel.threads());
        // Each task owns output channels [co0, co1) and sweeps the whole batch in order: no cross-task sums.
        parallel.forEach(blocks, b -> {
            int co0 = (int) ((long) cout * b / blocks), co1 = (int) ((long) cout * (b + 1) / blocks);
            float[] col = new float[r * po];
            float[] acc = new float[(co1 - co0) * r];
            for (int n = 0; n < s.n(); n++) {
                im2col(xd, n * s.cin() * s.inPlane(), s, rows, cols, col);
                ConvRows.accumulateProducts(acc, 0, dyd, (n * cout + co0) * po, col, 0, co1 - co0, r, po);
            }
            ConvRows.add(dwd, co0 * r, acc, 0, acc.length);
        });
    }

    /** col[(ci*k + ki)*k + kj, i*Wo + j] = x[ci, s*i + di, s*j + dj] (0 in the padding) for one image. */
    private static void im2col(float[] x, int xo, Shape s, Window rows, Window cols, float[] col) {
        int k = s.k(), po = s.outPlane(), wo = s.wo(), st = rows.stride();
        for (int ci = 0; ci < s.cin(); ci++) {
            int plane = xo + ci * s.inPlane();
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * po;
                    Arrays.fill(col, row, row + po, 0f);
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        int src = plane + rows.input(ki, i) * s.w() + cols.input(kj, j0), dst = row + i * wo + j0;
                        if (st == 1) System.arraycopy(x, src, col, dst, len);
                        else for (int j = 0; j < len; j++) col[dst + j] = x[src + st * j];
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: dx[ci, s*i + di, s*j + dj] += col[...] for one image. */
    private static void col2im(float[] col, Shape s, Window rows, Window cols, float[] dx, int xo) {
        int k = s.k(), po = s.outPlane(), wo = s.wo(), st = rows.stride();
        for (int ci = 0; ci < s.cin(); ci++) {
            int plane = xo + ci * s.inPlane();
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = ((ci * k + ki) * k + kj) * po;
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        int dst = plane + rows.input(ki, i) * s.w() + cols.input(kj, j0), src = row + i * wo + j0;
                        if (st == 1) ConvRows.add(dx, dst, col, src, len);
                        else ConvRows.addScatter(dx, dst, st, col, src, len);
                    }
                }
            }
        }
    }
}
