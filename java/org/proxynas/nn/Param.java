package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** A trainable tensor and its gradient. Gradients accumulate during backward; a step zeroes them first. */
public record Param(String name, Tensor value, Tensor grad) {
    public long size() { return value.size(); }
}
