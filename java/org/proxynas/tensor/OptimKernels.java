package org.proxynas.tensor;

import java.util.List;

/**
 * Optimiser steps (SGD, Adam) and global gradient-norm clipping. One family of {@link Kernels}, whose conventions
 * apply.
 */
public interface OptimKernels {
    /** PyTorch SGD: d = g + wd*p; buf = momentum*buf + d; p -= lr*buf (buf starts at zero). */
    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay);

    /** PyTorch Adam with L2 weight decay added to the gradient; step counts from 1. */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float weightDecay, int step);

    /**
     * torch.nn.utils.clip_grad_norm_ without the returned norm: with norm the global L2 norm of every gradient
     * (squares summed in double), each gradient *= (float) (maxNorm / (norm + 1e-6)) when that is below 1, else left
     * unchanged. Not a synchronisation point. The CPU reference adds the per-tensor
     * {@link ElementwiseKernels#sumSquares} in list order, then {@link ElementwiseKernels#scale}s; a backend may instead
     * sum in another fixed order (its conformance test states the tolerance) and keep the coefficient in device memory,
     * as the CUDA backend does.
     */
    void clipGradNorm(List<Tensor> grads, double maxNorm);
}
