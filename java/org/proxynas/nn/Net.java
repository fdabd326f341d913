package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;

/** What every layer of one network shares: the backend, its buffer pool, its {@link Mode} and the init stream. */
public final class Net {
    private final Backend backend;
    private final Workspace workspace;
    private final Rng initRng;
    private Mode mode = Mode.TRAIN;

    /**
     * What a pass is for: which batch-norm statistics the forward uses, whether it keeps activations for backward, and
     * which gradients backward computes.
     */
    public enum Mode {
        /** Batch statistics (running statistics updated); every activation kept until backward. */
        TRAIN,
        /**
         * As TRAIN, but backward computes input gradients and mixture-weight gradients only, and leaves every
         * parameter's gradient as it is: first-order DARTS's alpha step, which would otherwise compute all the filter
         * gradients (with their recomputed depthwise forwards) and throw them away.
         */
        ARCHITECTURE,
        /**
         * As TRAIN for the numbers, but no backward follows: each activation goes back to the workspace after its
         * last reader, as in EVAL (a validation pass with batch statistics at a large batch would otherwise hold
         * all of them: 6.4 GB for a mixture forward of 250 images at C=8, L=6).
         */
        FORWARD_ONLY,
        /** Running statistics; activations freed after their last reader. */
        EVAL
    }

    public Net(Backend backend, Rng initRng) {
        this.backend = backend;
        this.workspace = new Workspace(backend);
        this.initRng = initRng;
    }

    public Backend backend() { return backend; }
    public Kernels k() { return backend.kernels(); }
    public Workspace ws() { return workspace; }
    public Rng initRng() { return initRng; }
    /** Batch statistics in batch norm (every mode but EVAL). */
    public boolean training() { return mode != Mode.EVAL; }
    /** Whether a forward keeps what backward reads (TRAIN and ARCHITECTURE). */
    public boolean keepsActivations() { return mode == Mode.TRAIN || mode == Mode.ARCHITECTURE; }
    /** Whether backward accumulates parameter gradients (TRAIN only; the other modes have no backward or skip them). */
    public boolean parameterGradients() { return mode == Mode.TRAIN; }
    public void setTraining(boolean training) { this.mode = training ? Mode.TRAIN : Mode.EVAL; }
    public void setMode(Mode mode) { this.mode = java.util.Objects.requireNonNull(mode); }
}
