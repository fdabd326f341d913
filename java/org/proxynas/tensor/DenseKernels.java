package org.proxynas.tensor;

/**
 * Dense layers of the regressors: linear, batched matrix products and the LSTM cell. One family of {@link Kernels},
 * whose conventions apply.
 */
public interface DenseKernels {
    /** y = x w^T + b: x [N,In], w [Out,In], b [Out] or null, y [N,Out]. */
    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y);

    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate);

    /** dw += dy^T x; db += column sums of dy (db may be null). */
    void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db);

    /**
     * c[b] (+)= op(a[b]) op(b[b]) for every batch entry, op = transpose where asked. Shapes are 3-D:
     * a [B,M,K] (or [B,K,M] with transA), b [B,K,N] (or [B,N,K] with transB), c [B,M,N]. GIN message passing
     * (adjacency times features) and the inner-product decoder.
     */
    void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate);

    /**
     * One LSTM cell step, PyTorch gate order (i, f, g, o): gates [N,4H] are the pre-activations
     * (x W_ih^T + h W_hh^T + biases). Writes act [N,4H] (activated gates, kept for backward), c and h [N,H].
     */
    void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h);

    /**
     * Backward of one LSTM cell step: from dh [N,H] and dcNext [N,H] (the gradient reaching c from later steps;
     * null for the last step) to dgates [N,4H] (overwritten) and dcPrev [N,H] (overwritten).
     */
    void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev);
}
