package org.proxynas.proxy;

/** The supervised part of a regressor's loss (docs/method.md#proxy). */
public enum RegressionLoss {
    /** mean((ŷ − ℓ)²): the default. */
    MSE,
    /** mean((ŷ − ℓ)² / ℓ): the reference's {@code --weighted_loss}; labels must be &gt; 0. */
    WEIGHTED
}
