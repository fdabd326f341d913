package org.proxynas.nb301;

/**
 * One surrogate prediction for a genotype at a training epoch: YAHPO Gym's nb301 targets, in their units.
 *
 * @param accuracy        validation accuracy on CIFAR-10, a fraction in [0, 1] (output column 0)
 * @param crossEntropy    validation cross-entropy loss (column 1, clamped at 0 by the model)
 * @param runtimeSeconds  training time up to that epoch, in seconds (column 2)
 * @param runtimeIncrease YAHPO's {@code runtime_increase} target (column 3), as the model predicts it
 */
public record Prediction(double accuracy, double crossEntropy, double runtimeSeconds, double runtimeIncrease) {}
