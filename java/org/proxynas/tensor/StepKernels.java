package org.proxynas.tensor;

import java.util.List;

/**
 * The kernels of one SGD training step that can be captured ({@link GraphCapture#stepKernels()}): the learning rate
 * and the clip coefficient are read from device scalars, and the loss totals are added up in device memory, so a
 * replayed step needs no host value and no read back. Parameter-wide work runs over a {@link ParamTable} in one
 * launch. Bit-identical to the eager step: {@code Kernels.clipGradNorm} then {@code Sgd.step}, and the sum of
 * {@link Kernels#softmaxCrossEntropy} results.
 */
public interface StepKernels {
    /**
     * Parameters, their gradients and momentum buffers (one to one, same shapes) as a device table, built once,
     * before any capture; the tensors must outlive it.
     */
    ParamTable table(List<Tensor> values, List<Tensor> grads, List<Tensor> momenta);

    /** Every gradient of the table = 0. */
    void zeroGrads(ParamTable table);

    /** coef[0] = min(1, maxNorm / (global gradient norm + 1e-6)), bit-identical to the backend's Kernels.clipGradNorm. */
    void clipCoefficient(ParamTable table, double maxNorm, Tensor coef);

    /** grad *= coef[0], then SGD with momentum and L2 decay at learning rate lr[0] (Sgd.step's update). */
    void sgdStep(ParamTable table, Tensor lr, Tensor coef, float momentum, float weightDecay);

    /** Device totals of the losses of batches of the given size, zeroed. */
    LossTotals lossTotals(int batch);

    /** Softmax cross-entropy of logits against labels, dlogits = its gradient, the loss added to totals. */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, LossTotals totals);

    /** A device scalar (one float), e.g. the learning rate a captured step reads. */
    Tensor scalar(float value);

    /** A table made by {@link #table}; only the backend that made it reads it. */
    interface ParamTable {}

    /** Loss totals in device memory. */
    interface LossTotals {
        /** The totals so far (a read back: never inside a capture). */
        Totals read();

        /** Zeroes the totals (a launch: may be captured, or run between replays). */
        void reset();
    }

    /**
     * Totals since the last reset.
     *
     * @param lossSum        sum over batches of mean loss times batch size
     * @param correct        rows whose arg-max was the label
     * @param count          rows scored
     * @param steps          batches scored
     * @param firstNonFinite the first batch (1-based) whose loss was NaN or infinite; 0 when none was
     */
    record Totals(double lossSum, long correct, long count, long steps, long firstNonFinite) {}
}
