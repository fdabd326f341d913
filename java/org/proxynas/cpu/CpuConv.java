package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.ConvChecks;
import org.proxynas.tensor.ConvChecks.Conv;
import org.proxynas.tensor.ConvChecks.Pointwise;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.ConvKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU convolutions over NCHW fp32 arrays, no bias: depthwise k x k, pointwise 1x1 (with stride and pixel
 * offset, for FactorizedReduce) and dense (groups 1: the stem and the auxiliary head). Weights are laid out as
 * in PyTorch: depthwise [C,1,k,k], pointwise [Cout,Cin,1,1], dense [Cout,Cin,k,k].
 *
 * <p>The pointwise and stride-1 depthwise convs (nearly all the conv time of a DARTS step) run on the Vector API
 * ({@link PointwiseGemm}, {@link PaddedPlane}); the other loops work on <em>staged</em> rows (scratch arrays
 * indexed from 0, filled by System.arraycopy), the form the JIT vectorises; see {@link ConvRows}. How the work
 * is cut:
 * <ul>
 *   <li>Depthwise, stride 1 (every DARTS normal-cell op): per (image, channel) plane, a zero-padded copy and
 *       one flat pass over shifted views of it, all taps per output vector ({@link PaddedPlane}); backward-data is the same
 *       pass on dy with the flipped kernel. Other strides: tap by tap, output row by output row, over the
 *       column range {@link Window} computed for that tap (no bounds checks, no padding reads).</li>
 *   <li>Pointwise: per image a GEMM Y[co,p] = sum_ci W[co,ci] X[ci,p], blocks of four
 *       outputs by four vectors of pixels held in registers ({@link PointwiseGemm}). Stride 1, offset 0 reads
 *       x in place (from a copy of the image when y is x); other strides gather the sampled pixels first (and
 *       scatter on the way back).</li>
 *   <li>Dense: im2col per image into [Cin*k*k][Ho*Wo] rows, then the same GEMM.</li>
 *   <li>Filter gradients of depthwise and pointwise convs are reduced over the batch with
 *       {@link Parallel#chunks}: each chunk owns a partial buffer, and the partials are added in chunk order.
 *       Within a chunk each image adds its sums (vector dot products, lanes added in a fixed order), or for
 *       strided depthwise convs the sums are kept as accumulator rows and reduced at the end. The dense filter gradient is split by output channel instead (each task owns its rows of
 *       dw and runs over the whole batch in order), which needs no partial buffer of size Cout*Cin*k*k per
 *       chunk (1.5 MB for the auxiliary head's 2x2 conv). Either way results are bit-identical run to run.</li>
 * </ul>
 */
final class CpuConv implements ConvKernels {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuConv(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    // ---- depthwise -------------------------------------------------------------------------------------------

    @Override public void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Conv s = ConvChecks.depthwiseConvForward(backend, x, w, y, g);
        float[] xd = CpuBackend.data(x), wd = CpuBackend.data(w), yd = CpuBackend.data(y);
        int c = s.cin(), kk = s.taps();
        if (g.stride() == 1) {
            PaddedPlane pp = new PaddedPlane(s.k(), g.dilation(), g.padding(), s.h(), s.w());
            parallel.chunks(s.n() * c, (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newScratch();
                for (int plane = first; plane < end; plane++) {
                    pp.load(xd, plane * s.inPlane(), sc);
                    pp.convolve(sc, wd, (plane % c) * kk, false);
                    pp.store(sc, yd, plane * s.outPlane());
                }
            });
            return;
        }
        if (g.stride() == 2) {
            StridedPlane sp = new StridedPlane(s.k(), g.dilation(), g.padding(), s.h(), s.w());
            parallel.chunks(s.n() * c, (chunk, first, end) -> {
                StridedPlane.Scratch sc = sp.newScratch();
                for (int plane = first; plane < end; plane++) {
                    sp.load(xd, plane * s.inPlane(), sc);
                    sp.convolve(sc, wd, (plane % c) * kk);
                    sp.store(sc, yd, plane * s.outPlane());
                }
            });
            return;
        }
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        parallel.forEach(s.n() * c, plane -> {
            int yo = plane * s.outPlane();
            Arrays.fill(yd, yo, yo + s.outPlane(), 0f);
            planeForward(xd, plane * s.inPlane(), s.w(), wd, (plane % c) * kk, yd, yo, s.wo(), rows, cols);
        });
    }

    @Override public void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Conv s = ConvChecks.depthwiseConvBackwardData(backend, dy, w, dx, g);
        float[] dyd = CpuBackend.data(dy), wd = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        int c = s.cin(), kk = s.taps(), k = s.k();
        int flippedPad = (k - 1) * g.dilation() - g.padding();
        if (g.stride() == 1 && flippedPad >= 0) {
            // dx = conv(dy, flipped w) with padding (k-1)*d - pad: the forward fast path on dy
            PaddedPlane pp = new PaddedPlane(k, g.dilation(), flippedPad, s.ho(), s.wo());
            float[] flipped = new float[c * kk];
            for (int i = 0; i < c * kk; i++) flipped[i] = wd[(i / kk) * kk + kk - 1 - i % kk];
            parallel.chunks(s.n() * c, (chunk, first, end) -> {
                PaddedPlane.Scratch sc = pp.newScratch();
                for (int plane = first; plane < end; plane++) {
                    pp.load(dyd, plane * s.outPlane(), sc);
                    if (accumulate) pp.loadOutput(dxd, plane * s.inPlane(), sc.out);
                    pp.convolve(sc, flipped, (plane % c) * kk, accumulate);
                    pp.store(sc, dxd, plane * s.inPlane());
                }
            });
            return;
        }
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        parallel.forEach(s.n() * c, plane -> {
            int xo = plane * s.inPlane();
            if (!accumulate) Arrays.fill(dxd, xo, xo + s.inPlane(), 0f);
            planeBackwardData(dyd, plane * s.outPlane(), s.wo(), wd, (plane % c) * kk, dxd, xo, s.w(), rows, cols);
        });
    }

    @Override public void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Conv s = ConvChecks.depthwiseConvBackwardFilter(backend, x, dy, dw, g);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        int c = s.cin(), kk = s.taps(), size = c * kk;
        float[] partial = new float[parallel.chunkCount(s.n()) * size];
        if (g.stride() == 1) {
            PaddedPlane pp = new PaddedPlane(s.k(), g.dilation(), g.padding(), s.h(), s.w());
            parallel.chunks(s.n(), (chunk, n0, n1) -> {
                PaddedPlane.Scratch sc = pp.newScratch();
                float[] dyq = new float[pp.len];   // dy in the flat layout; its garbage columns stay 0
                float[] lanes = new float[PaddedPlane.lanes()];
                for (int ch = 0; ch < c; ch++) {
                    for (int n = n0; n < n1; n++) {
                        pp.load(xd, (n * c + ch) * s.inPlane(), sc);
                        pp.loadOutput(dyd, (n * c + ch) * s.outPlane(), dyq);
                        pp.accumulateFilter(sc, dyq, partial, chunk * size + ch * kk, lanes);
                    }
                }
            });
            addPartials(partial, size, dwd, 0);
            return;
        }
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
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


    @Override public void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) {
        Pointwise s = ConvChecks.pointwiseConvForward(backend, x, w, y, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        float[] xd = CpuBackend.data(x), wdat = CpuBackend.data(w), yd = CpuBackend.data(y);
        int p = h * wd, po = ho * wo;
        boolean direct = isDirect(stride, offset, h, wd, ho, wo), inPlace = xd == yd;
        parallel.chunks(n, (chunk, n0, n1) -> {
            float[] xs = direct && !inPlace ? null : new float[cin * po];
            for (int img = n0; img < n1; img++) {
                float[] in = xd;
                int inOff = img * cin * p;
                if (!direct) {
                    gatherFlat(xd, inOff, cin, h, wd, stride, offset, ho, wo, xs, 0);
                    in = xs;
                    inOff = 0;
                } else if (inPlace) {
                    // y overwrites x: read the image from a copy
                    System.arraycopy(xd, inOff, xs, 0, cin * p);
                    in = xs;
                    inOff = 0;
                }
                PointwiseGemm.gemm(wdat, 0, cin, 1, in, inOff, po, cin, yd, img * cout * po, po, cout, po, false);
            }
        });
    }

    @Override public void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) {
        Pointwise s = ConvChecks.pointwiseConvBackwardData(backend, dy, w, dx, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        float[] dyd = CpuBackend.data(dy), wdat = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        int p = h * wd, po = ho * wo;
        boolean direct = isDirect(stride, offset, h, wd, ho, wo), inPlace = dyd == dxd;
        parallel.chunks(n, (chunk, n0, n1) -> {
            float[] gs = direct ? null : new float[cin * po];   // the gradient at the sampled pixels
            float[] dys = inPlace ? new float[cout * po] : null;
            for (int img = n0; img < n1; img++) {
                float[] in = dyd;
                int dyOff = img * cout * po, xo = img * cin * p;
                if (inPlace) {
                    // dx overwrites dy: read the image from a copy
                    System.arraycopy(dyd, dyOff, dys, 0, cout * po);
                    in = dys;
                    dyOff = 0;
                }
                if (direct) {
                    // dx[img, ci] (+)= sum_co w[co, ci] dy[img, co]
                    PointwiseGemm.gemm(wdat, 0, 1, cin, in, dyOff, po, cout, dxd, xo, p, cin, p, accumulate);
                } else {
                    PointwiseGemm.gemm(wdat, 0, 1, cin, in, dyOff, po, cout, gs, 0, po, cin, po, false);
                    if (!accumulate) Arrays.fill(dxd, xo, xo + cin * p, 0f);
                    for (int ci = 0; ci < cin; ci++) scatter(gs, ci * po, ho, wo, stride, offset, dxd, xo + ci * p, wd);
                }
            }
        });
    }

    /**
     * dw[co,ci] += sum over images and pixels of dy[co,p] * x[ci,p]: per image, register-blocked dot products
     * ({@link PointwiseGemm#weightGradient}) into the chunk's partial buffer; strided convs gather the sampled
     * pixels of the chunk's images first.
     */
    @Override public void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        Pointwise s = ConvChecks.pointwiseConvBackwardWeight(backend, x, dy, dw, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        int p = h * wd, po = ho * wo, size = cout * cin;
        boolean direct = isDirect(stride, offset, h, wd, ho, wo);
        float[] partial = new float[parallel.chunkCount(n) * size];
        parallel.chunks(n, (chunk, n0, n1) -> {
            float[] xs = direct ? null : new float[cin * po], lanes = new float[PointwiseGemm.lanes()];
            for (int img = n0; img < n1; img++) {
                float[] in = xd;
                int xo = img * cin * p;
                if (!direct) {
                    gatherFlat(xd, xo, cin, h, wd, stride, offset, ho, wo, xs, 0);
                    in = xs;
                    xo = 0;
                }
                PointwiseGemm.weightGradient(dyd, img * cout * po, cout, in, xo, cin, po, partial, chunk * size, lanes);
            }
        });
        addPartials(partial, size, dwd, 0);
    }

    /** Stride 1, offset 0 over the whole input: x is used in place. */
    private static boolean isDirect(int stride, int offset, int h, int w, int ho, int wo) {
        return stride == 1 && offset == 0 && ho == h && wo == w;
    }

    /** xs[xsOff + (c*ho + i)*wo + j] = x[xo + c*h*w + (offset + stride*i)*w + offset + stride*j]: the sampled pixels of every channel. */
    private static void gatherFlat(float[] x, int xo, int channels, int h, int w, int stride, int offset,
                                   int ho, int wo, float[] xs, int xsOff) {
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ho; i++) {
                int src = xo + c * h * w + (offset + stride * i) * w + offset, dst = xsOff + (c * ho + i) * wo;
                for (int j = 0; j < wo; j++) xs[dst + j] = x[src + stride * j];
            }
        }
    }

    /** The adjoint of {@link #gatherFlat} for one channel: dx[xo + (offset + stride*i)*w + offset + stride*j] += g[go + i*wo + j]. */
    private static void scatter(float[] g, int go, int ho, int wo, int stride, int offset, float[] dx, int xo, int w) {
        for (int i = 0; i < ho; i++) {
            ConvRows.addScatter(dx, xo + (offset + stride * i) * w + offset, stride, g, go + i * wo, wo);
        }
    }

    // ---- dense -----------------------------------------------------------------------------------------------

    @Override public void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Conv s = ConvChecks.convForward(backend, x, w, y, g);
        float[] xd = CpuBackend.data(x), wd = CpuBackend.data(w), yd = CpuBackend.data(y);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane();
        parallel.chunks(s.n(), (chunk, n0, n1) -> {
            float[][] col = new float[r][po];
            float[] out = new float[po];
            for (int n = n0; n < n1; n++) {
                im2col(xd, n * s.cin() * s.inPlane(), s, rows, cols, col);
                for (int co = 0; co < s.cout(); co++) {
                    ConvRows.gemmRow(out, wd, co * r, 1, col, r, po, false);
                    System.arraycopy(out, 0, yd, (n * s.cout() + co) * po, po);
                }
            }
        });
    }

    @Override public void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Conv s = ConvChecks.convBackwardData(backend, dy, w, dx, g);
        float[] dyd = CpuBackend.data(dy), wd = CpuBackend.data(w), dxd = CpuBackend.data(dx);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane();
        parallel.chunks(s.n(), (chunk, n0, n1) -> {
            float[][] col = new float[r][po];
            float[][] dyRows = new float[s.cout()][po];
            for (int n = n0; n < n1; n++) {
                ConvRows.stage(dyd, n * s.cout() * po, dyRows, s.cout(), po);
                for (int t = 0; t < r; t++) ConvRows.gemmRow(col[t], wd, t, r, dyRows, s.cout(), po, false);
                int xo = n * s.cin() * s.inPlane();
                if (!accumulate) Arrays.fill(dxd, xo, xo + s.cin() * s.inPlane(), 0f);
                col2im(col, s, rows, cols, dxd, xo);
            }
        });
    }

    @Override public void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Conv s = ConvChecks.convBackwardFilter(backend, x, dy, dw, g);
        float[] xd = CpuBackend.data(x), dyd = CpuBackend.data(dy), dwd = CpuBackend.data(dw);
        Window rows = Window.of(g, s.h(), s.ho()), cols = Window.of(g, s.w(), s.wo());
        int r = s.cin() * s.taps(), po = s.outPlane(), cout = s.cout();
        int blocks = Math.min(cout, 4 * parallel.threads());
        // Each task owns output channels [co0, co1) and sweeps the whole batch in order: no cross-task sums.
        parallel.forEach(blocks, b -> {
            int co0 = (int) ((long) cout * b / blocks), co1 = (int) ((long) cout * (b + 1) / blocks);
            float[][] col = new float[r][po];
            float[] acc = new float[(co1 - co0) * r];
            for (int n = 0; n < s.n(); n++) {
                im2col(xd, n * s.cin() * s.inPlane(), s, rows, cols, col);
                ConvRows.accumulateProducts(acc, 0, dyd, (n * cout + co0) * po, col, co1 - co0, r, po);
            }
            ConvRows.add(dwd, co0 * r, acc, 0, acc.length);
        });
    }

    /** col[(ci*k + ki)*k + kj][i*Wo + j] = x[ci, s*i + di, s*j + dj] (0 in the padding) for one image. */
    private static void im2col(float[] x, int xo, Conv s, Window rows, Window cols, float[][] col) {
        int k = s.k(), wo = s.wo(), st = rows.stride();
        for (int ci = 0; ci < s.cin(); ci++) {
            int plane = xo + ci * s.inPlane();
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    float[] row = col[(ci * k + ki) * k + kj];
                    Arrays.fill(row, 0f);
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        int src = plane + rows.input(ki, i) * s.w() + cols.input(kj, j0), dst = i * wo + j0;
                        if (st == 1) System.arraycopy(x, src, row, dst, len);
                        else for (int j = 0; j < len; j++) row[dst + j] = x[src + st * j];
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: dx[ci, s*i + di, s*j + dj] += col[...] for one image. */
    private static void col2im(float[][] col, Conv s, Window rows, Window cols, float[] dx, int xo) {
        int k = s.k(), wo = s.wo(), st = rows.stride();
        for (int ci = 0; ci < s.cin(); ci++) {
            int plane = xo + ci * s.inPlane();
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    float[] row = col[(ci * k + ki) * k + kj];
                    int j0 = cols.lo()[kj], len = cols.hi()[kj] - j0;
                    if (len <= 0) continue;
                    for (int i = rows.lo()[ki]; i < rows.hi()[ki]; i++) {
                        int dst = plane + rows.input(ki, i) * s.w() + cols.input(kj, j0), src = i * wo + j0;
                        if (st == 1) ConvRows.add(dx, dst, row, src, len);
                        else ConvRows.addScatter(dx, dst, st, row, src, len);
                    }
                }
            }
        }
    }
}
