package org.proxynas.cpu;

import org.proxynas.tensor.DenseChecks;
import org.proxynas.tensor.DenseKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU kernels: linear layers, batched matrix products and the LSTM cell.
 *
 * <p>Every product is computed one output row at a time in the "axpy" form
 * {@code acc[:] += a[i,k] * B[k,:]} over k, which the JIT vectorises. C2 (JDK 25) vectorises such a loop only when
 * all arrays in it are indexed alike (it cannot rule out overlap of one array read at two offsets), so the
 * right-hand operand is first copied into one Java array per row ({@link #rowsOf}, transposing where asked) and
 * the output row is summed in a zero-based scratch row, then copied out. Copies are O(size of B), the product
 * O(M size of B). Each output row is owned by one task and its terms are added in a fixed order, so results do
 * not depend on the thread count.
 */
final class CpuDense implements DenseKernels {
    /** Multiply-adds below which a kernel runs on the calling thread (pool hand-off costs microseconds). */
    private static final long INLINE_WORK = 1 << 15;

    private final CpuBackend backend;
    private final Parallel parallel;

    CpuDense(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    @FunctionalInterface
    private interface RowBody { void run(float[] scratch, int start, int end); }

    /**
     * body(scratch, start, end) over [0, rows): inline when rows * workPerRow is small, else over the pool's fixed
     * chunks. Each call gets its own scratch row of scratchLength floats (one allocation per chunk).
     */
    private void rows(int rows, long workPerRow, int scratchLength, RowBody body) {
        if ((long) rows * workPerRow < INLINE_WORK) {
            body.run(new float[scratchLength], 0, rows);
        } else {
            parallel.chunks(rows, (chunk, start, end) -> body.run(new float[scratchLength], start, end));
        }
    }

    /**
     * Copies batches of [rows, cols] matrices from src into one array per matrix row: result[b * rows + r] is
     * row r of batch entry b. With transpose the matrices are [cols, rows] in src and are transposed on the way.
     */
    private static float[][] rowsOf(float[] src, int batches, int rows, int cols, boolean transpose) {
        float[][] dst = new float[batches * rows][cols];
        int size = rows * cols;
        for (int b = 0; b < batches; b++) {
            int base = b * size;
            for (int r = 0; r < rows; r++) {
                float[] row = dst[b * rows + r];
                if (transpose) {
                    for (int c = 0; c < cols; c++) row[c] = src[base + c * rows + r];
                } else {
                    System.arraycopy(src, base + r * cols, row, 0, cols);
                }
            }
        }
        return dst;
    }

    /**
     * acc[0, n) += sum over t in [0, count) of a[aOff + t * aStride] * b[b0 + t][0, n), four terms at a time
     * (each group summed, then added to acc): the inner loop of every product here.
     */
    private static void accumulateRows(float[] acc, float[] a, int aOff, int aStride, float[][] b, int b0, int count, int n) {
        int t = 0;
        for (; t + 3 < count; t += 4) {
            int ai = aOff + t * aStride;
            axpy4(a[ai], a[ai + aStride], a[ai + 2 * aStride], a[ai + 3 * aStride],
                    b[b0 + t], b[b0 + t + 1], b[b0 + t + 2], b[b0 + t + 3], acc, n);
        }
        for (; t < count; t++) axpy1(a[aOff + t * aStride], b[b0 + t], acc, n);
    }

    // Kept as small methods: C2 compiles and vectorises them on their own and inlines them where they are used.
    private static void axpy4(float a0, float a1, float a2, float a3,
                              float[] b0, float[] b1, float[] b2, float[] b3, float[] acc, int n) {
        for (int j = 0; j < n; j++) acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }

    private static void axpy1(float a, float[] b, float[] acc, int n) {
        for (int j = 0; j < n; j++) acc[j] += a * b[j];
    }

    // ---- linear -------------------------------------------------------------------------------------------

    /** y = x w^T + b: row r of y sums x[r, k] * w^T[k, :] over k. */
    @Override public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        DenseChecks.Linear s = DenseChecks.linearForward(x, w, b, y);
        int n = s.n(), in = s.in(), out = s.out();
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        float[] bs = b == null ? null : CpuBackend.data(b);
        if (n < DOT_ROWS) {
            linearDot(xs, CpuBackend.data(w), bs, ys, n, in, out);
            return;
        }
        float[][] wt = rowsOf(CpuBackend.data(w), 1, in, out, true); // w^T, [in][out]
        rows(n, (long) in * out, out, (acc, start, end) -> {
            for (int row = start; row < end; row++) {
                if (bs == null) java.util.Arrays.fill(acc, 0f);
                else System.arraycopy(bs, 0, acc, 0, out);
                accumulateRows(acc, xs, row * in, 1, wt, 0, in, out);
                System.arraycopy(acc, 0, ys, row * out, out);
            }
        });
    }

    /**
     * Below this many rows linearForward reads w in place, one output at a time, instead of copying w^T first:
     * the copy costs as much as a few rows of the product (a batch-1 query of a small MLP would spend most of its
     * time transposing weights).
     */
    private static final int DOT_ROWS = 4;

    /**
     * y = x w^T + b for few rows, w read row by row where it lies. Each output adds the same terms in the same
     * order as the axpy form ({@link #accumulateRows}: bias, then groups of four summed left to right, then the
     * remainder), so results are bit-identical to it.
     */
    private static void linearDot(float[] xs, float[] ws, float[] bs, float[] ys, int n, int in, int out) {
        for (int row = 0; row < n; row++) {
            int xo = row * in, yo = row * out;
            int o = 0;
            // Four outputs at a time: four independent sums keep the FP adders busy (one sum alone waits on itself).
            for (; o + 3 < out; o += 4) {
                int w0 = o * in, w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
                float a0 = bs == null ? 0f : bs[o], a1 = bs == null ? 0f : bs[o + 1];
                float a2 = bs == null ? 0f : bs[o + 2], a3 = bs == null ? 0f : bs[o + 3];
                int t = 0;
                for (; t + 3 < in; t += 4) {
                    float x0 = xs[xo + t], x1 = xs[xo + t + 1], x2 = xs[xo + t + 2], x3 = xs[xo + t + 3];
                    a0 += x0 * ws[w0 + t] + x1 * ws[w0 + t + 1] + x2 * ws[w0 + t + 2] + x3 * ws[w0 + t + 3];
                    a1 += x0 * ws[w1 + t] + x1 * ws[w1 + t + 1] + x2 * ws[w1 + t + 2] + x3 * ws[w1 + t + 3];
                    a2 += x0 * ws[w2 + t] + x1 * ws[w2 + t + 1] + x2 * ws[w2 + t + 2] + x3 * ws[w2 + t + 3];
                    a3 += x0 * ws[w3 + t] + x1 * ws[w3 + t + 1] + x2 * ws[w3 + t + 2] + x3 * ws[w3 + t + 3];
                }
                for (; t < in; t++) {
                    float x = xs[xo + t];
                    a0 += x * ws[w0 + t];
                    a1 += x * ws[w1 + t];
                    a2 += x * ws[w2 + t];
                    a3 += x * ws[w3 + t];
                }
                ys[yo + o] = a0;
                ys[yo + o + 1] = a1;
                ys[yo + o + 2] = a2;
                ys[yo + o + 3] = a3;
            }
            for (; o < out; o++) {
                int wo = o * in;
                float acc = bs == null ? 0f : bs[o];
                int t = 0;
                for (; t + 3 < in; t += 4) {
                    acc += xs[xo + t] * ws[wo + t] + xs[xo + t + 1] * ws[wo + t + 1]
                            + xs[xo + t + 2] * ws[wo + t + 2] + xs[xo + t + 3] * ws[wo + t + 3];
                }
                for (; t < in; t++) acc += xs[xo + t] * ws[wo + t];
                ys[yo + o] = acc;
            }
        }
    }

    /** dx (+)= dy w: dy [N,Out], w [Out,In], dx [N,In]. */
    @Override public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) {
        DenseChecks.Linear s = DenseChecks.linearBackwardData(dy, w, dx);
        int n = s.n(), in = s.in(), out = s.out();
        float[] dys = CpuBackend.data(dy), dxs = CpuBackend.data(dx);
        float[][] wr = rowsOf(CpuBackend.data(w), 1, out, in, false);
        rows(n, (long) in * out, in, (acc, start, end) -> {
            for (int row = start; row < end; row++) {
                if (accumulate) System.arraycopy(dxs, row * in, acc, 0, in);
                else java.util.Arrays.fill(acc, 0f);
                accumulateRows(acc, dys, row * out, 1, wr, 0, out, in);
                System.arraycopy(acc, 0, dxs, row * in, in);
            }
        });
    }

    /**
     * dw += dy^T x and db += column sums of dy (db may be null). Row o of dw adds dy[r, o] x[r, :] over the
     * batch rows r in order (four at a time); db[o] is summed in double.
     */
    @Override public void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        DenseChecks.Linear s = DenseChecks.linearBackwardParams(x, dy, dw, db);
        int n = s.n(), in = s.in(), out = s.out();
        float[] dys = CpuBackend.data(dy), dws = CpuBackend.data(dw);
        float[] dbs = db == null ? null : CpuBackend.data(db);
        float[][] xr = rowsOf(CpuBackend.data(x), 1, n, in, false);
        rows(out, (long) n * in, in, (acc, start, end) -> {
            for (int o = start; o < end; o++) {
                System.arraycopy(dws, o * in, acc, 0, in);
                accumulateRows(acc, dys, o, out, xr, 0, n, in);
                System.arraycopy(acc, 0, dws, o * in, in);
                if (dbs != null) {
                    double bias = 0;
                    for (int row = 0; row < n; row++) bias += dys[row * out + o];
                    dbs[o] += (float) bias;
                }
            }
        });
    }

    // ---- batched matrix product -------------------------------------------------------------------------

    @Override public void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) {
        DenseChecks.MatMul s = DenseChecks.batchedMatMul(a, b, c, transA, transB);
        int batches = s.batches(), m = s.m(), k = s.k(), n = s.n();
        float[] as = CpuBackend.data(a), cs = CpuBackend.data(c);
        float[][] br = rowsOf(CpuBackend.data(b), batches, k, n, transB); // op(b) as [batches * k][n]
        int aSize = m * k, cSize = m * n;
        // Element (i, kk) of op(a[batch]) lives at batch * aSize + i * aRow + kk * aCol.
        int aRow = transA ? 1 : k, aCol = transA ? m : 1;
        rows(batches * m, (long) k * n, n, (acc, start, end) -> {
            for (int idx = start; idx < end; idx++) {
                int batch = idx / m, i = idx % m;
                int co = batch * cSize + i * n;
                if (accumulate) System.arraycopy(cs, co, acc, 0, n);
                else java.util.Arrays.fill(acc, 0f);
                accumulateRows(acc, as, batch * aSize + i * aRow, aCol, br, batch * k, k, n);
                System.arraycopy(acc, 0, cs, co, n);
            }
        });
    }

    // ---- LSTM cell ----------------------------------------------------------------------------------------

    /**
     * act = (sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)); c = f * cPrev + i * g; h = o * tanh(c). Element by
     * element, so act may be gates and c may be cPrev.
     */
    @Override public void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        DenseChecks.Lstm s = DenseChecks.lstmCellForward(gates, cPrev, act, c, h);
        int n = s.n(), hid = s.hidden(), g4 = 4 * hid;
        float[] gs = CpuBackend.data(gates), cps = CpuBackend.data(cPrev), as = CpuBackend.data(act);
        float[] cs = CpuBackend.data(c), hs = CpuBackend.data(h);
        rows(n, 16L * g4, 0, (unused, start, end) -> {
            for (int row = start; row < end; row++) {
                int go = row * g4, ho = row * hid;
                for (int j = 0; j < hid; j++) {
                    float ig = CpuElementwise.sigmoid(gs[go + j]);
                    float fg = CpuElementwise.sigmoid(gs[go + hid + j]);
                    float gg = (float) Math.tanh(gs[go + 2 * hid + j]);
                    float og = CpuElementwise.sigmoid(gs[go + 3 * hid + j]);
                    as[go + j] = ig;
                    as[go + hid + j] = fg;
                    as[go + 2 * hid + j] = gg;
                    as[go + 3 * hid + j] = og;
                    float cv = fg * cps[ho + j] + ig * gg;
                    cs[ho + j] = cv;
                    hs[ho + j] = og * (float) Math.tanh(cv);
                }
            }
        });
    }

    /**
     * dc = dh * o * (1 - tanh(c)^2) + dcNext; then the gate pre-activation gradients
     * di = dc g i(1-i), df = dc cPrev f(1-f), dg = dc i (1-g^2), do = dh tanh(c) o(1-o), and dcPrev = dc f.
     * Element by element, so dgates may be act and dcPrev may be dcNext.
     */
    @Override public void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        DenseChecks.Lstm s = DenseChecks.lstmCellBackward(act, cPrev, c, dh, dcNext, dgates, dcPrev);
        int n = s.n(), hid = s.hidden(), g4 = 4 * hid;
        float[] as = CpuBackend.data(act), cps = CpuBackend.data(cPrev), cs = CpuBackend.data(c);
        float[] dhs = CpuBackend.data(dh), dcn = dcNext == null ? null : CpuBackend.data(dcNext);
        float[] dgs = CpuBackend.data(dgates), dcp = CpuBackend.data(dcPrev);
        rows(n, 16L * g4, 0, (unused, start, end) -> {
            for (int row = start; row < end; row++) {
                int go = row * g4, ho = row * hid;
                for (int j = 0; j < hid; j++) {
                    float ig = as[go + j], fg = as[go + hid + j], gg = as[go + 2 * hid + j], og = as[go + 3 * hid + j];
                    float tc = (float) Math.tanh(cs[ho + j]);
                    float dhv = dhs[ho + j];
                    float dc = dhv * og * (1f - tc * tc) + (dcn == null ? 0f : dcn[ho + j]);
                    float cp = cps[ho + j];
                    dgs[go + j] = dc * gg * ig * (1f - ig);
                    dgs[go + hid + j] = dc * cp * fg * (1f - fg);
                    dgs[go + 2 * hid + j] = dc * ig * (1f - gg * gg);
                    dgs[go + 3 * hid + j] = dhv * tc * og * (1f - og);
                    dcp[ho + j] = dc * fg;
                }
            }
        });
    }
}
