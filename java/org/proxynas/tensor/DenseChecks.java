package org.proxynas.tensor;

/** Argument checks of the dense kernel family (linear, batched matmul, LSTM cell), shared by every backend. */
public final class DenseChecks {
    private DenseChecks() {}

    /** Rows, input features and output features of a linear layer call. */
    public record Linear(int n, int in, int out) {}

    /** Batches and the m x k times k x n sizes of a batched matmul call. */
    public record MatMul(int batches, int m, int k, int n) {}

    /** Rows and hidden size of an LSTM cell call. */
    public record Lstm(int n, int hidden) {}

    /** Arguments of {@link Kernels#linearForward}. */
    public static Linear linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        Checks.rank("x", x, 2);
        int n = x.dim(0), in = x.dim(1);
        Checks.shape("w", w, -1, in);
        int out = w.dim(0);
        if (b != null) Checks.shape("b", b, out);
        Checks.shape("y", y, n, out);
        return new Linear(n, in, out);
    }

    /** Arguments of {@link Kernels#linearBackwardData}. */
    public static Linear linearBackwardData(Tensor dy, Tensor w, Tensor dx) {
        Checks.rank("w", w, 2);
        int out = w.dim(0), in = w.dim(1);
        Checks.shape("dy", dy, -1, out);
        int n = dy.dim(0);
        Checks.shape("dx", dx, n, in);
        return new Linear(n, in, out);
    }

    /** Arguments of {@link Kernels#linearBackwardParams}. */
    public static Linear linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        Checks.rank("x", x, 2);
        int n = x.dim(0), in = x.dim(1);
        Checks.shape("dy", dy, n, -1);
        int out = dy.dim(1);
        Checks.shape("dw", dw, out, in);
        if (db != null) Checks.shape("db", db, out);
        return new Linear(n, in, out);
    }

    /** Arguments of {@link Kernels#batchedMatMul}: c may be b (read from a copy), never a. */
    public static MatMul batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB) {
        Checks.rank("a", a, 3);
        int batches = a.dim(0);
        int m = transA ? a.dim(2) : a.dim(1);
        int k = transA ? a.dim(1) : a.dim(2);
        if (transB) Checks.shape("b", b, batches, -1, k);
        else Checks.shape("b", b, batches, k, -1);
        int n = transB ? b.dim(1) : b.dim(2);
        Checks.shape("c", c, batches, m, n);
        if (a.buffer() == c.buffer()) throw new IllegalArgumentException("c must not share a buffer with a");
        return new MatMul(batches, m, k, n);
    }

    /** Arguments of {@link Kernels#lstmCellForward}. */
    public static Lstm lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        Lstm s = gates("gates", gates);
        Checks.shape("cPrev", cPrev, s.n(), s.hidden());
        Checks.shape("act", act, s.n(), 4 * s.hidden());
        Checks.shape("c", c, s.n(), s.hidden());
        Checks.shape("h", h, s.n(), s.hidden());
        return s;
    }

    /** Arguments of {@link Kernels#lstmCellBackward}. */
    public static Lstm lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        Lstm s = gates("act", act);
        int n = s.n(), hid = s.hidden();
        Checks.shape("cPrev", cPrev, n, hid);
        Checks.shape("c", c, n, hid);
        Checks.shape("dh", dh, n, hid);
        if (dcNext != null) Checks.shape("dcNext", dcNext, n, hid);
        Checks.shape("dgates", dgates, n, 4 * hid);
        Checks.shape("dcPrev", dcPrev, n, hid);
        return s;
    }

    private static Lstm gates(String name, Tensor t) {
        Checks.rank(name, t, 2);
        int g4 = t.dim(1);
        if (g4 % 4 != 0) throw new IllegalArgumentException(name + " must have shape [N, 4H], got " + g4 + " columns");
        return new Lstm(t.dim(0), g4 / 4);
    }
}
