package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

/** A named state tensor that is not a parameter (BN running statistics, optimiser moments), saved in checkpoints. */
public record NamedTensor(String name, Tensor tensor) {}
