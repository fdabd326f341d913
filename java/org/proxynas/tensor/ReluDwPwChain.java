package org.proxynas.tensor;

/**
 * The unfused ReLU - depthwise - pointwise chain behind {@link Kernels#reluDwPwForward} and its backward, layer by
 * layer on any backend's kernels: the CPU's reference for the fused call, and the CUDA fallback where the fused
 * kernel needs more shared memory than the device has. Arguments are checked by the caller (FusedChecks).
 */
public final class ReluDwPwChain {
    /** Where the chain keeps its intermediates: a tensor of shape for role (overwritten before it is read). */
    public interface Scratch {
        Tensor get(String role, int... shape);
    }

    private ReluDwPwChain() {}

    /** relu, depthwiseConvForward, pointwiseConvForward, then batchNormTrainForward's statistics of y. */
    public static void forward(Kernels k, Scratch scratch, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y,
                               Tensor runningMean, Tensor runningVar, float momentum, float eps, Tensor saveMean,
                               Tensor saveInvStd, FusedChecks.ReluDwPw s) {
        Tensor r = scratch.get("relu", x.shape()), z = scratch.get("z", s.n(), s.c(), s.ho(), s.wo());
        k.relu(x, r);
        k.depthwiseConvForward(r, dw, z, g);
        k.pointwiseConvForward(z, pw, y, 1, 0);
        Tensor normalised = scratch.get("normalised", y.shape());  // the statistics are the product; the output is not
        k.batchNormTrainForward(y, null, null, runningMean, runningVar, momentum, eps, normalised, saveMean, saveInvStd);
    }

    /** The chain's backward in reverse order, the intermediates recomputed from x. */
    public static void backward(Kernels k, Scratch scratch, Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g,
                                Tensor dx, Tensor ddw, Tensor dpw, boolean accumulate, FusedChecks.ReluDwPw s) {
        Tensor r = scratch.get("relu", x.shape()), z = scratch.get("z", s.n(), s.c(), s.ho(), s.wo());
        k.relu(x, r);
        if (dpw != null) {  // z is recomputed only for the pointwise filter gradient
            k.depthwiseConvForward(r, dw, z, g);
            k.pointwiseConvBackwardWeight(z, dy, dpw, 1, 0);
        }
        Tensor dz = z;  // z's buffer, free now (or never filled), holds dz
        k.pointwiseConvBackwardData(dy, pw, dz, 1, 0, false);
        if (ddw != null) k.depthwiseConvBackwardFilter(r, dz, ddw, g);
        Tensor dr = scratch.get("dr", x.shape());
        k.depthwiseConvBackwardData(dz, dw, dr, g, false);
        k.reluBackward(r, dr, dx, accumulate);
    }
}
