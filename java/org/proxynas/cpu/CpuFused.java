package org.proxynas.cpu;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.FusedChecks;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The fused kernels on the CPU: literally the unfused chain of the CPU's own kernels, with scratch tensors for the
 * intermediates a fused GPU kernel keeps on chip. So the CPU result of a fused call is bit-identical to running the
 * layers one by one (what nn did before fusion), and every fused GPU kernel is checked against that chain.
 */
final class CpuFused {
    private final CpuBackend backend;
    private final Kernels k;

    CpuFused(CpuBackend backend, Kernels kernels) {
        this.backend = backend;
        this.k = kernels;
    }

    /** relu, depthwiseConvForward, pointwiseConvForward, then batchNormTrainForward's statistics of y. */
    void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean, Tensor runningVar,
                         float momentum, float eps, Tensor saveMean, Tensor saveInvStd) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "y", y);
        FusedChecks.statistics(backend, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd);
        Tensor r = backend.allocate(x.shape()), z = backend.allocate(s.n(), s.c(), s.ho(), s.wo());
        k.relu(x, r);
        k.depthwiseConvForward(r, dw, z, g);
        k.pointwiseConvForward(z, pw, y, 1, 0);
        Tensor normalised = backend.allocate(y.shape());  // the statistics are the product; the output is not
        k.batchNormTrainForward(y, null, null, runningMean, runningVar, momentum, eps, normalised, saveMean, saveInvStd);
    }

    /** The layer chain's backward in reverse order, the intermediates recomputed from x. */
    void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw,
                          boolean accumulate) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "dy", dy);
        FusedChecks.reluDwPwGradients(backend, x, dw, pw, dx, ddw, dpw);
        Tensor r = backend.allocate(x.shape()), z = backend.allocate(s.n(), s.c(), s.ho(), s.wo());
        k.relu(x, r);
        k.depthwiseConvForward(r, dw, z, g);
        k.pointwiseConvBackwardWeight(z, dy, dpw, 1, 0);
        Tensor dz = z;  // z is no longer needed
        k.pointwiseConvBackwardData(dy, pw, dz, 1, 0, false);
        k.depthwiseConvBackwardFilter(r, dz, ddw, g);
        Tensor dr = backend.allocate(x.shape());
        k.depthwiseConvBackwardData(dz, dw, dr, g, false);
        k.reluBackward(r, dr, dx, accumulate);
    }
}
