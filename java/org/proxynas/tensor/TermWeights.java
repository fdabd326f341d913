package org.proxynas.tensor;

/**
 * The weights of a batch-norm-folded node sum's terms ({@link Kernels#bnWeightedSum} and its backward): values the
 * host gives with the call, or entries of a weight tensor that the kernels read when they run. Stored weights let a
 * captured step ({@link GraphCapture}) change between replays by a write to the tensor (the DARTS mixture weights,
 * which every alpha step changes), and may name a gradient accumulator that stays in backend memory: the backward
 * adds the gradient of term t's weight to the double at grads[index[t]], so nothing is read back during the step.
 */
public sealed interface TermWeights {
    /** How many terms. */
    int count();

    /** Fixed weights, one per term. */
    static TermWeights of(float... values) {
        Checks.notNull("weights", values);
        return new Fixed(values.clone());
    }

    /**
     * Term t's weight is values[index[t]], read by the kernel when it runs. grads (nullable; the backward's output) is
     * [2 * values.size()]: one double per weight, as {@link DoublePairs} keeps doubles in floats.
     */
    static TermWeights stored(Tensor values, int[] index, Tensor grads) {
        Checks.notNull("weights.values", values);
        Checks.notNull("weights.index", index);
        return new Stored(values, index.clone(), grads);
    }

    /** Weights given by the host. */
    record Fixed(float[] values) implements TermWeights {
        @Override public int count() { return values.length; }
    }

    /** Weights read from values[index[t]]; gradients (where grads is not null) added to grads[index[t]]. */
    record Stored(Tensor values, int[] index, Tensor grads) implements TermWeights {
        @Override public int count() { return index.length; }
    }
}
