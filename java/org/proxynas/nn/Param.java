package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/**
 * A trainable tensor and its gradient. Gradients accumulate during backward; a step zeroes them first.
 * decay = false marks parameters that take no weight decay (none do in DARTS; kept for optimiser groups).
 */
public record Param(String name, Tensor value, Tensor grad) {
    public long size() { return value.size(); }
}
