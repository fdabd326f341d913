package org.proxynas.cpu;

import org.proxynas.tensor.Checks;
import org.proxynas.tensor.Tensor;

import java.util.function.IntConsumer;

/**
 * CPU kernels: linear layers, batched matrix products and the LSTM cell.
 *
 * <p>Every product is computed one output row at a time in the "axpy" form {@code c[i,:] += a[i,k] * b[k,:]},
 * whose inner loop runs over contiguous memory and is vectorised by the JIT. An operand that would have to be
 * read across rows (w in {@code x w^T}, b with transB) is first transposed into a scratch array, one
 * allocation per call. Each output row is owned by one task and summed in a fixed order, so results do not
 * depend on the thread count.
 */
final class CpuDense {
    /** Multiply-adds below which a kernel runs on the calling thread (pool hand-off costs microseconds). */
    private static final long INLINE_WORK = 1 << 15;

    private final CpuBackend backend;
    private final Parallel parallel;

    CpuDense(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** body(i) for i in [0, n), on the pool when the total work n * workPerItem is large enough. */
    private void items(int n, long workPerItem, IntConsumer body) {
        if ((long) n * workPerItem < INLINE_WORK) {
            for (int i = 0; i < n; i++) body.accept(i);
        } else {
            parallel.forEach(n, body);
        }
    }

    /** dst[batch][c][r] = src[batch][r][c] for batch entries of rows x cols; returns dst. */
    private static float[] transpose(float[] src, int batches, int rows, int cols) {
        float[] dst = new float[batches * rows * cols];
        int size = rows * cols;
        for (int b = 0; b < batches; b++) {
            int base = b * size;
            for (int r = 0; r < rows; r++) {
                int s = base + r * cols;
                for (int c = 0; c < cols; c++) dst[base + c * rows + r] = src[s + c];
            }
        }
        return dst;
    }

    /** c[cOff .. cOff+n) += a * b[bOff .. bOff+n): the vectorised inner loop of every product here. */
    private static void axpy(float a, float[] b, int bOff, float[] c, int cOff, int n) {
        for (int j = 0; j < n; j++) c[cOff + j] += a * b[bOff + j];
    }

    // ---- linear -------------------------------------------------------------------------------------------

    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        Checks.rank("x", x, 2);
        int n = x.dim(0), in = x.dim(1);
        Checks.shape("w", w, -1, in);
        int out = w.dim(0);
        if (b != null) Checks.shape("b", b, out);
        Checks.shape("y", y, n, out);
        float[] xs = CpuBackend.data(x), ys = CpuBackend.data(y);
        float[] bs = b == null ? null : CpuBackend.data(b);
        float[] wt = transpose(CpuBackend.data(w), 1, out, in); // [in, out]
        items(n, (long) in * out, row -> {
            int yo = row * out, xo = row * in;
            if (bs == null) java.util.Arrays.fill(ys, yo, yo + out, 0f);
            else System.arraycopy(bs, 0, ys, yo, out);
            for (int k = 0; k < in; k++) axpy(xs[xo + k], wt, k * out, ys, yo, out);
        });
    }

    /** dx (+)= dy w: dy [N,Out], w [Out,In], dx [N,In]. */
    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) {
        Checks.rank("w", w, 2);
        int out = w.dim(0), in = w.dim(1);
        Checks.shape("dy", dy, -1, out);
        int n = dy.dim(0);
        Checks.shape("dx", dx, n, in);
        float[] dys = CpuBackend.data(dy), ws = CpuBackend.data(w), dxs = CpuBackend.data(dx);
        items(n, (long) in * out, row -> {
            int xo = row * in, yo = row * out;
            if (!accumulate) java.util.Arrays.fill(dxs, xo, xo + in, 0f);
            for (int o = 0; o < out; o++) axpy(dys[yo + o], ws, o * in, dxs, xo, in);
        });
    }

    /** dw += dy^T x and db += column sums of dy; row o of dw (and db[o]) sums over the batch in row order. */
    void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        Checks.rank("x", x, 2);
        int n = x.dim(0), in = x.dim(1);
        Checks.shape("dy", dy, n, -1);
        int out = dy.dim(1);
        Checks.shape("dw", dw, out, in);
        if (db != null) Checks.shape("db", db, out);
        float[] xs = CpuBackend.data(x), dys = CpuBackend.data(dy), dws = CpuBackend.data(dw);
        float[] dbs = db == null ? null : CpuBackend.data(db);
        items(out, (long) n * in, o -> {
            int wo = o * in;
            double bias = 0;
            for (int row = 0; row < n; row++) {
                float g = dys[row * out + o];
                bias += g;
                axpy(g, xs, row * in, dws, wo, in);
            }
            if (dbs != null) dbs[o] += (float) bias;
        });
    }

    // ---- batched matrix product -------------------------------------------------------------------------

    void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) {
        Checks.rank("a", a, 3);
        int batches = a.dim(0);
        int m = transA ? a.dim(2) : a.dim(1);
        int k = transA ? a.dim(1) : a.dim(2);
        if (transB) Checks.shape("b", b, batches, -1, k);
        else Checks.shape("b", b, batches, k, -1);
        int n = transB ? b.dim(1) : b.dim(2);
        Checks.shape("c", c, batches, m, n);
        float[] as = CpuBackend.data(a), cs = CpuBackend.data(c);
        float[] bs = CpuBackend.data(b);
        if (bs == cs || as == cs) throw new IllegalArgumentException("c must not share a buffer with a or b");
        float[] bk = transB ? transpose(bs, batches, n, k) : bs; // bk is [B, K, N]
        int aSize = m * k, bSize = k * n, cSize = m * n;
        // A[i, kk] lives at aRow * i + aCol * kk within its batch entry.
        int aRow = transA ? 1 : k, aCol = transA ? m : 1;
        items(batches * m, (long) k * n, idx -> {
            int batch = idx / m, i = idx % m;
            int co = batch * cSize + i * n;
            int ao = batch * aSize + i * aRow;
            int bo = batch * bSize;
            if (!accumulate) java.util.Arrays.fill(cs, co, co + n, 0f);
            for (int kk = 0; kk < k; kk++) axpy(as[ao + kk * aCol], bk, bo + kk * n, cs, co, n);
        });
    }

    // ---- LSTM cell ----------------------------------------------------------------------------------------

    /**
     * act = (sigmoid(i), sigmoid(f), tanh(g), sigmoid(o)); c = f * cPrev + i * g; h = o * tanh(c). Element by
     * element, so act may be gates and c may be cPrev.
     */
    void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        Checks.rank("gates", gates, 2);
        int n = gates.dim(0), g4 = gates.dim(1);
        if (g4 % 4 != 0) throw new IllegalArgumentException("gates must have shape [N, 4H], got " + g4 + " columns");
        int hid = g4 / 4;
        Checks.shape("cPrev", cPrev, n, hid);
        Checks.shape("act", act, n, g4);
        Checks.shape("c", c, n, hid);
        Checks.shape("h", h, n, hid);
        float[] gs = CpuBackend.data(gates), cps = CpuBackend.data(cPrev), as = CpuBackend.data(act);
        float[] cs = CpuBackend.data(c), hs = CpuBackend.data(h);
        items(n, 16L * g4, row -> {
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
        });
    }

    /**
     * dc = dh * o * (1 - tanh(c)^2) + dcNext; then the gate pre-activation gradients
     * di = dc g i(1-i), df = dc cPrev f(1-f), dg = dc i (1-g^2), do = dh tanh(c) o(1-o), and dcPrev = dc f.
     * Element by element, so dgates may be act and dcPrev may be dcNext.
     */
    void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        Checks.rank("act", act, 2);
        int n = act.dim(0), g4 = act.dim(1);
        if (g4 % 4 != 0) throw new IllegalArgumentException("act must have shape [N, 4H], got " + g4 + " columns");
        int hid = g4 / 4;
        Checks.shape("cPrev", cPrev, n, hid);
        Checks.shape("c", c, n, hid);
        Checks.shape("dh", dh, n, hid);
        if (dcNext != null) Checks.shape("dcNext", dcNext, n, hid);
        Checks.shape("dgates", dgates, n, g4);
        Checks.shape("dcPrev", dcPrev, n, hid);
        float[] as = CpuBackend.data(act), cps = CpuBackend.data(cPrev), cs = CpuBackend.data(c);
        float[] dhs = CpuBackend.data(dh), dcn = dcNext == null ? null : CpuBackend.data(dcNext);
        float[] dgs = CpuBackend.data(dgates), dcp = CpuBackend.data(dcPrev);
        items(n, 16L * g4, row -> {
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
        });
    }
}
