package org.proxynas.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Conformance of the dense kernels: linear layers, batched matrix products and the LSTM cell. Forward results
 * are compared with double references; every backward with central finite differences of the forward.
 *
 * <p>Tolerances: products of K fp32 terms are compared with atol = rtol = 1e-5 (K &lt;= 64 here; fp32 summation
 * error grows like sqrt(K) * 6e-8 per unit of magnitude, and a GPU may reorder or fuse). Gradient checks of these
 * bilinear maps use h = 1e-2, atol 2e-3, rtol 1e-3: the difference quotient is exact up to fp32 rounding of an
 * O(10..100) objective (about 1e-5 / 2e-2). The LSTM cell is nonlinear: rtol 1e-2 covers the O(h^2) error.
 */
public abstract class DenseConformance extends KernelSuite {
    // ---- linear --------------------------------------------------------------------------------------------

    /** y = x w^T + b in double. */
    private static double[] linearRef(float[] x, float[] w, float[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) s += (double) x[r * in + i] * w[o * in + i];
                y[r * out + o] = s;
            }
        }
        return y;
    }

    @Test
    void linearForwardMatchesReference() {
        Random rnd = new Random(21);
        // [64, 48] x [40, 48]^T: enough work to run on several threads.
        int n = 64, in = 48, out = 40;
        Tensor x = randn(rnd, n, in), w = randn(rnd, out, in), b = randn(rnd, out);
        Tensor y = randn(rnd, n, out);
        k.linearForward(x, w, b, y);
        GradCheck.assertClose("linear", linearRef(x.toHost(), w.toHost(), b.toHost(), n, in, out), y.toHost(), 1e-5, 1e-5);
        k.linearForward(x, w, null, y);
        GradCheck.assertClose("linear without bias", linearRef(x.toHost(), w.toHost(), null, n, in, out), y.toHost(), 1e-5, 1e-5);
    }

    @Test
    void linearBackwardDataMatchesGradientAndAccumulates() {
        Random rnd = new Random(22);
        int n = 5, in = 7, out = 4;
        Tensor x = randn(rnd, n, in), w = randn(rnd, out, in), b = randn(rnd, out);
        Tensor y = backend.allocate(n, out);
        float[] r = SpatialReference.randn(rnd, n * out);
        Tensor dy = backend.fromHost(r, n, out);
        Tensor dx = randn(rnd, n, in);
        float[] before = dx.toHost();
        k.linearBackwardData(dy, w, dx, false);
        float[] analytic = dx.toHost();
        DoubleSupplier objective = () -> { k.linearForward(x, w, b, y); return GradCheck.weightedSum(y, r); };
        GradCheck.check("linear dx", x, analytic, objective, 1e-2, 2e-3, 1e-3, n * in, rnd);
        dx.fromHost(before);
        k.linearBackwardData(dy, w, dx, true);
        float[] sum = new float[before.length];
        for (int i = 0; i < sum.length; i++) sum[i] = before[i] + analytic[i];
        GradCheck.assertClose("linearBackwardData accumulate", sum, dx.toHost(), 1e-6, 1e-6);
    }

    @Test
    void linearBackwardParamsMatchesGradientAndAlwaysAccumulates() {
        Random rnd = new Random(23);
        int n = 6, in = 5, out = 3;
        Tensor x = randn(rnd, n, in), w = randn(rnd, out, in), b = randn(rnd, out);
        Tensor y = backend.allocate(n, out);
        float[] r = SpatialReference.randn(rnd, n * out);
        Tensor dy = backend.fromHost(r, n, out);
        Tensor dw = backend.allocate(out, in), db = backend.allocate(out);
        k.linearBackwardParams(x, dy, dw, db);
        float[] gw = dw.toHost(), gb = db.toHost();
        DoubleSupplier objective = () -> { k.linearForward(x, w, b, y); return GradCheck.weightedSum(y, r); };
        GradCheck.check("linear dw", w, gw, objective, 1e-2, 2e-3, 1e-3, out * in, rnd);
        GradCheck.check("linear db", b, gb, objective, 1e-2, 2e-3, 1e-3, out, rnd);
        // A second call adds the same gradient again; db may be null.
        k.linearBackwardParams(x, dy, dw, db);
        k.linearBackwardParams(x, dy, dw, null);
        float[] w3 = new float[gw.length], b2 = new float[gb.length];
        for (int i = 0; i < gw.length; i++) w3[i] = 3 * gw[i];
        for (int i = 0; i < gb.length; i++) b2[i] = 2 * gb[i];
        GradCheck.assertClose("dw accumulates", w3, dw.toHost(), 1e-5, 1e-5);
        GradCheck.assertClose("db accumulates", b2, db.toHost(), 1e-5, 1e-5);
    }

    @Test
    void linearParamGradientsAreDeterministic() {
        Random rnd = new Random(24);
        int n = 256, in = 64, out = 32; // large enough to be split over threads
        Tensor x = randn(rnd, n, in), dy = randn(rnd, n, out);
        Tensor dw1 = backend.allocate(out, in), db1 = backend.allocate(out);
        Tensor dw2 = backend.allocate(out, in), db2 = backend.allocate(out);
        k.linearBackwardParams(x, dy, dw1, db1);
        k.linearBackwardParams(x, dy, dw2, db2);
        assertArrayEquals(dw1.toHost(), dw2.toHost(), "dw must be bitwise reproducible");
        assertArrayEquals(db1.toHost(), db2.toHost(), "db must be bitwise reproducible");
        // And correct: dw = dy^T x, db = column sums.
        float[] xh = x.toHost(), dyh = dy.toHost();
        double[] rw = new double[out * in], rb = new double[out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                rb[o] += dyh[r * out + o];
                for (int i = 0; i < in; i++) rw[o * in + i] += (double) dyh[r * out + o] * xh[r * in + i];
            }
        }
        // Sums of 256 terms of magnitude ~1: fp32 accumulation error ~ sqrt(256) * 6e-8 * 16 ~ 2e-5.
        GradCheck.assertClose("dw", rw, dw1.toHost(), 1e-4, 1e-5);
        GradCheck.assertClose("db", rb, db1.toHost(), 1e-4, 1e-5);
    }

    @Test
    void linearRejectsBadShapes() {
        Tensor x = backend.allocate(4, 3), w = backend.allocate(5, 3), y = backend.allocate(4, 5);
        assertRejected("w", () -> k.linearForward(x, backend.allocate(5, 2), null, y));
        assertRejected("b", () -> k.linearForward(x, w, backend.allocate(4), y));
        assertRejected("y", () -> k.linearForward(x, w, null, backend.allocate(4, 4)));
        assertRejected("dx", () -> k.linearBackwardData(y, w, backend.allocate(4, 4), false));
        assertRejected("dw", () -> k.linearBackwardParams(x, y, backend.allocate(3, 5), null));
        assertRejected("x", () -> k.linearForward(backend.allocate(4, 3, 1, 1), w, null, y));
    }

    // ---- batched matrix product ----------------------------------------------------------------------------

    /** c[b] = op(a[b]) op(bm[b]) in double. */
    private static double[] matmulRef(float[] a, float[] bm, int batches, int m, int kk, int n, boolean ta, boolean tb) {
        double[] c = new double[batches * m * n];
        for (int bb = 0; bb < batches; bb++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < kk; p++) {
                        float av = ta ? a[bb * kk * m + p * m + i] : a[bb * m * kk + i * kk + p];
                        float bv = tb ? bm[bb * n * kk + j * kk + p] : bm[bb * kk * n + p * n + j];
                        s += (double) av * bv;
                    }
                    c[bb * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    private Tensor operand(Random rnd, int batches, int rows, int cols, boolean trans) {
        return trans ? randn(rnd, batches, cols, rows) : randn(rnd, batches, rows, cols);
    }

    @Test
    void batchedMatMulMatchesReferenceForAllTransposes() {
        Random rnd = new Random(25);
        int batches = 6, m = 17, kk = 17, n = 24; // GIN-like: adjacency [17,17] times features
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            String what = "batchedMatMul transA=" + ta + " transB=" + tb;
            Tensor a = operand(rnd, batches, m, kk, ta), b = operand(rnd, batches, kk, n, tb);
            Tensor c = randn(rnd, batches, m, n);
            float[] c0 = c.toHost();
            double[] ref = matmulRef(a.toHost(), b.toHost(), batches, m, kk, n, ta, tb);
            k.batchedMatMul(a, b, c, ta, tb, false);
            GradCheck.assertClose(what, ref, c.toHost(), 1e-5, 1e-5);
            c.fromHost(c0);
            k.batchedMatMul(a, b, c, ta, tb, true);
            for (int i = 0; i < ref.length; i++) ref[i] += c0[i];
            GradCheck.assertClose(what + " accumulate", ref, c.toHost(), 1e-5, 1e-5);
        }
    }

    @Test
    void batchedMatMulGradientsForAllTransposes() {
        Random rnd = new Random(26);
        int batches = 2, m = 3, kk = 4, n = 5;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            String what = "batchedMatMul transA=" + ta + " transB=" + tb;
            Tensor a = operand(rnd, batches, m, kk, ta), b = operand(rnd, batches, kk, n, tb);
            Tensor c = backend.allocate(batches, m, n);
            float[] r = SpatialReference.randn(rnd, batches * m * n);
            Tensor dc = backend.fromHost(r, batches, m, n);
            Tensor da = backend.allocateLike(a), db = backend.allocateLike(b);
            // The backward a layer runs, itself built from batchedMatMul:
            //   NN: C = A B       dA = dC B^T          dB = A^T dC
            //   TN: C = A^T B     dA = B dC^T          dB = A dC
            //   NT: C = A B^T     dA = dC B            dB = dC^T A
            //   TT: C = A^T B^T   dA = B^T dC^T        dB = dC^T A^T
            if (!ta) k.batchedMatMul(dc, b, da, false, !tb, false);
            else k.batchedMatMul(b, dc, da, tb, true, false);
            if (!tb) k.batchedMatMul(a, dc, db, !ta, false, false);
            else k.batchedMatMul(dc, a, db, true, ta, false);
            DoubleSupplier objective = () -> { k.batchedMatMul(a, b, c, ta, tb, false); return GradCheck.weightedSum(c, r); };
            GradCheck.check(what + " da", a, da.toHost(), objective, 1e-2, 2e-3, 1e-3, (int) a.size(), rnd);
            GradCheck.check(what + " db", b, db.toHost(), objective, 1e-2, 2e-3, 1e-3, (int) b.size(), rnd);
        }
    }

    @Test
    void batchedMatMulRejectsBadShapes() {
        Tensor a = backend.allocate(2, 3, 4), b = backend.allocate(2, 4, 5), c = backend.allocate(2, 3, 5);
        assertRejected("b", () -> k.batchedMatMul(a, backend.allocate(2, 3, 5), c, false, false, false));
        assertRejected("b", () -> k.batchedMatMul(a, b, c, false, true, false));
        assertRejected("c", () -> k.batchedMatMul(a, b, backend.allocate(2, 3, 4), false, false, false));
        assertRejected("b", () -> k.batchedMatMul(a, backend.allocate(3, 4, 5), c, false, false, false));
        assertRejected("a", () -> k.batchedMatMul(backend.allocate(3, 4), b, c, false, false, false));
        Tensor sq = backend.allocate(2, 3, 3);
        assertRejected("c", () -> k.batchedMatMul(sq, backend.allocate(2, 3, 3), sq, false, false, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.batchedMatMul(sq, sq, sq, false, false, false));
        assertEquals("c must not share a buffer with a", e.getMessage());
    }

    // ---- LSTM cell ----------------------------------------------------------------------------------------

    private static double sig(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    void lstmCellForwardMatchesReference() {
        Random rnd = new Random(27);
        int n = 64, hid = 16; // the regressor's LSTM: batch 64, hidden 16
        Tensor gates = randn(rnd, n, 4 * hid), cPrev = randn(rnd, n, hid);
        Tensor act = backend.allocate(n, 4 * hid), c = backend.allocate(n, hid), h = backend.allocate(n, hid);
        k.lstmCellForward(gates, cPrev, act, c, h);
        float[] g = gates.toHost(), cp = cPrev.toHost();
        double[] ra = new double[n * 4 * hid], rc = new double[n * hid], rh = new double[n * hid];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hid; j++) {
                int o = r * 4 * hid;
                double i = sig(g[o + j]), f = sig(g[o + hid + j]), gg = Math.tanh(g[o + 2 * hid + j]), og = sig(g[o + 3 * hid + j]);
                ra[o + j] = i;
                ra[o + hid + j] = f;
                ra[o + 2 * hid + j] = gg;
                ra[o + 3 * hid + j] = og;
                rc[r * hid + j] = f * cp[r * hid + j] + i * gg;
                rh[r * hid + j] = og * Math.tanh(rc[r * hid + j]);
            }
        }
        // A handful of fp32 roundings on O(1) values.
        GradCheck.assertClose("lstm act", ra, act.toHost(), 1e-6, 1e-6);
        GradCheck.assertClose("lstm c", rc, c.toHost(), 2e-6, 1e-6);
        GradCheck.assertClose("lstm h", rh, h.toHost(), 2e-6, 1e-6);
    }

    private void lstmGradientCheck(boolean withDcNext, long seed) {
        Random rnd = new Random(seed);
        int n = 3, hid = 4;
        Tensor gates = randn(rnd, n, 4 * hid), cPrev = randn(rnd, n, hid);
        Tensor act = backend.allocate(n, 4 * hid), c = backend.allocate(n, hid), h = backend.allocate(n, hid);
        float[] rh = SpatialReference.randn(rnd, n * hid), rc = SpatialReference.randn(rnd, n * hid);
        Tensor dh = backend.fromHost(rh, n, hid);
        Tensor dcNext = withDcNext ? backend.fromHost(rc, n, hid) : null;
        Tensor dgates = randn(rnd, n, 4 * hid), dcPrev = randn(rnd, n, hid); // overwritten, not accumulated
        k.lstmCellForward(gates, cPrev, act, c, h);
        k.lstmCellBackward(act, cPrev, c, dh, dcNext, dgates, dcPrev);
        // L = sum(rh * h) (+ sum(rc * c) when a later step sends dcNext = rc back into c).
        DoubleSupplier objective = () -> {
            k.lstmCellForward(gates, cPrev, act, c, h);
            return GradCheck.weightedSum(h, rh) + (withDcNext ? GradCheck.weightedSum(c, rc) : 0);
        };
        String what = "lstm " + (withDcNext ? "with" : "without") + " dcNext";
        GradCheck.check(what + " dgates", gates, dgates.toHost(), objective, 1e-2, 1e-3, 1e-2, n * 4 * hid, rnd);
        GradCheck.check(what + " dcPrev", cPrev, dcPrev.toHost(), objective, 1e-2, 1e-3, 1e-2, n * hid, rnd);
    }

    @Test
    void lstmCellBackwardWithoutDcNext() { lstmGradientCheck(false, 28); }

    @Test
    void lstmCellBackwardWithDcNext() { lstmGradientCheck(true, 29); }

    @Test
    void lstmRejectsBadShapes() {
        Tensor cPrev = backend.allocate(2, 3), c = backend.allocate(2, 3), h = backend.allocate(2, 3);
        Tensor act = backend.allocate(2, 12);
        assertRejected("gates", () -> k.lstmCellForward(backend.allocate(2, 10), cPrev, act, c, h));
        assertRejected("cPrev", () -> k.lstmCellForward(act, backend.allocate(2, 4), act, c, h));
        assertRejected("dcNext", () -> k.lstmCellBackward(act, cPrev, c, h, backend.allocate(3, 3), act, cPrev));
        assertRejected("dgates", () -> k.lstmCellBackward(act, cPrev, c, h, null, backend.allocate(2, 8), cPrev));
    }
}
