package org.proxynas.tensor;

import java.util.Arrays;

import static org.proxynas.tensor.SpatialChecks.image;
import static org.proxynas.tensor.SpatialChecks.optionalVector;
import static org.proxynas.tensor.SpatialChecks.sameShapeOn;
import static org.proxynas.tensor.SpatialChecks.vector;

/**
 * Argument checks of batch norm (training and eval, forward and backward), shared by every backend. Images are
 * NCHW or [N, C]; per-channel tensors are [C]; gamma and beta are null for an affine-free norm.
 */
public final class NormChecks {
    private NormChecks() {}

    /** Arguments of {@link Kernels#batchNormTrainForward}. */
    public static void batchNormTrainForward(Backend backend, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                             Tensor runningVar, float momentum, float eps, Tensor y, Tensor saveMean,
                                             Tensor saveInvStd) {
        image(backend, "x", x);
        int c = x.c();
        if ((long) x.n() * x.plane() < 2) {
            throw new IllegalArgumentException("x: batch norm in training needs more than one value per channel, got shape "
                    + Arrays.toString(x.shape()));
        }
        optionalVector(backend, "gamma", gamma, c);
        optionalVector(backend, "beta", beta, c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("runningMean and runningVar must be both given or both null, got "
                    + (runningMean == null ? "runningVar only" : "runningMean only"));
        }
        optionalVector(backend, "runningMean", runningMean, c);
        optionalVector(backend, "runningVar", runningVar, c);
        Checks.range("momentum", momentum, 0, 1);
        Checks.positive("eps", eps);
        sameShapeOn(backend, "y", y, "x", x);
        vector(backend, "saveMean", saveMean, c);
        vector(backend, "saveInvStd", saveInvStd, c);
    }

    /** Arguments of {@link Kernels#batchNormEvalForward}. */
    public static void batchNormEvalForward(Backend backend, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                            Tensor runningVar, float eps, Tensor y) {
        image(backend, "x", x);
        int c = x.c();
        optionalVector(backend, "gamma", gamma, c);
        optionalVector(backend, "beta", beta, c);
        vector(backend, "runningMean", runningMean, c);
        vector(backend, "runningVar", runningVar, c);
        Checks.positive("eps", eps);
        sameShapeOn(backend, "y", y, "x", x);
    }

    /** Arguments of {@link Kernels#batchNormBackward}. */
    public static void batchNormBackward(Backend backend, Tensor dy, Tensor x, Tensor gamma, Tensor saveMean,
                                         Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta) {
        image(backend, "x", x);
        int c = x.c();
        sameShapeOn(backend, "dy", dy, "x", x);
        optionalVector(backend, "gamma", gamma, c);
        vector(backend, "saveMean", saveMean, c);
        vector(backend, "saveInvStd", saveInvStd, c);
        sameShapeOn(backend, "dx", dx, "x", x);
        if (gamma == null && (dgamma != null || dbeta != null)) {
            throw new IllegalArgumentException((dgamma != null ? "dgamma" : "dbeta")
                    + " must be null when gamma is null (affine-free batch norm has no parameters)");
        }
        optionalVector(backend, "dgamma", dgamma, c);
        optionalVector(backend, "dbeta", dbeta, c);
    }

    /** Arguments of {@link Kernels#batchNormEvalBackward}. */
    public static void batchNormEvalBackward(Backend backend, Tensor dy, Tensor gamma, Tensor runningVar, float eps,
                                             Tensor dx) {
        image(backend, "dy", dy);
        int c = dy.c();
        optionalVector(backend, "gamma", gamma, c);
        vector(backend, "runningVar", runningVar, c);
        Checks.positive("eps", eps);
        sameShapeOn(backend, "dx", dx, "dy", dy);
    }
}
