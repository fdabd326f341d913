package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * A layer with an explicit backward. forward keeps what backward needs (in training mode) and returns an output
 * it owns; backward writes (or, with accumulate, adds) the input gradient into dx, which the caller provides,
 * and adds parameter gradients. release gives the layer's buffers back to the workspace.
 */
public interface Layer {
    Tensor forward(Tensor x);

    void backward(Tensor dy, Tensor dx, boolean accumulate);

    /** Output shape for an input shape (no computation). */
    int[] outShape(int[] inShape);

    default void collectParams(List<Param> out) {}

    /** Non-trainable state (BN running statistics), saved with the weights. */
    default void collectBuffers(List<NamedTensor> out) {}

    /** Returns activations to the workspace; the output of the last forward is invalid afterwards. */
    void release();
}
