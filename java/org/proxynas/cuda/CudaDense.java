package org.proxynas.cuda;

import org.proxynas.tensor.DenseChecks;
import org.proxynas.tensor.DenseKernels;
import org.proxynas.tensor.Tensor;

/**
 * The dense family on CUDA (cuda/dense.cu), as {@code CpuDense} on the CPU: linear layers and batched products
 * through one strided matmul kernel, and the LSTM cell.
 */
final class CudaDense implements DenseKernels {
    private final Launches l;

    CudaDense(Launches launches) { this.l = launches; }

    /** C (+)= op(A) op(B) per batch entry through matmul_f32 (strides in floats; init 0 zero, 1 C, 2 bias). */
    private void matmul(Tensor a, Tensor b, Tensor c, Tensor bias, int batches, int m, int k, int n, long aBatch,
                        long aRow, long aCol, long bBatch, long bRow, long bCol, int init) {
        l.perThread("matmul_f32", (long) batches * m * n, l.ptr(a), l.ptr(b), l.ptr(c), l.optPtr(bias), batches, m, k,
                n, aBatch, aRow, aCol, bBatch, bRow, bCol, init);
    }

    @Override public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        DenseChecks.Linear s = DenseChecks.linearForward(x, w, b, y);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(x, w, y, b, 1, n, in, out, 0, in, 1, 0, 1, in, b == null ? 0 : 2);
    }

    @Override public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) {
        DenseChecks.Linear s = DenseChecks.linearBackwardData(dy, w, dx);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(dy, w, dx, null, 1, n, out, in, 0, out, 1, 0, in, 1, accumulate ? 1 : 0);
    }

    @Override public void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        DenseChecks.Linear s = DenseChecks.linearBackwardParams(x, dy, dw, db);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(dy, x, dw, null, 1, out, n, in, 0, 1, out, 0, in, 1, 1);
        if (db != null) l.perThread("column_sums_f32", out, l.ptr(dy), l.ptr(db), n, out);
    }

    @Override public void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) {
        DenseChecks.MatMul s = DenseChecks.batchedMatMul(a, b, c, transA, transB);
        int batches = s.batches(), m = s.m(), k = s.k(), n = s.n();
        Tensor bIn = b;
        if (b.buffer() == c.buffer()) {  // the CPU reads b from a copy, so c may be b
            bIn = l.backend().allocate(b.shape());
            l.backend().copy(b, bIn);
        }
        matmul(a, bIn, c, null, batches, m, k, n, (long) m * k, transA ? 1 : k, transA ? m : 1, (long) k * n,
                transB ? 1 : n, transB ? k : 1, accumulate ? 1 : 0);
        java.lang.ref.Reference.reachabilityFence(bIn);
    }

    @Override public void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        DenseChecks.Lstm s = DenseChecks.lstmCellForward(gates, cPrev, act, c, h);
        int n = s.n(), hid = s.hidden();
        l.perThread("lstm_cell_forward_f32", (long) n * hid, l.ptr(gates), l.ptr(cPrev), l.ptr(act), l.ptr(c),
                l.ptr(h), n, hid);
    }

    @Override public void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        DenseChecks.Lstm s = DenseChecks.lstmCellBackward(act, cPrev, c, dh, dcNext, dgates, dcPrev);
        int n = s.n(), hid = s.hidden();
        l.perThread("lstm_cell_backward_f32", (long) n * hid, l.ptr(act), l.ptr(cPrev), l.ptr(c), l.ptr(dh),
                l.optPtr(dcNext), l.ptr(dgates), l.ptr(dcPrev), n, hid);
    }
}
