package org.proxynas.nn;

import java.util.List;

/** A first-order optimiser over a fixed parameter list; its state tensors are checkpointed. */
public interface Optimizer {
    /** One update of every parameter from its accumulated gradient, at learning rate lr. */
    void step(float lr);

    /** Optimiser state (momentum buffers, Adam moments) for checkpoints. */
    List<NamedTensor> state();

    /** Steps taken so far (Adam's bias correction needs it). */
    int steps();

    void setSteps(int steps);
}
