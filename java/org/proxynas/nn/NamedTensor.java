package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** Non-trainable network state (BN running statistics) saved in checkpoints. */
public record NamedTensor(String name, Tensor tensor) {}
