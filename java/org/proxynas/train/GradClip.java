package org.proxynas.train;

import org.proxynas.nn.Param;

import java.util.List;

/** torch.nn.utils.clip_grad_norm_: scales all gradients by max/(norm + 1e-6) when their global L2 norm exceeds max. */
public final class GradClip {
    private GradClip() {}

    /** Clips on the gradients' backend ({@code Kernels.clipGradNorm}: on CUDA, on the device without a read back). */
    public static void clip(List<Param> params, double maxNorm) {
        if (params.isEmpty()) return;
        params.get(0).grad().backend().kernels().clipGradNorm(params.stream().map(Param::grad).toList(), maxNorm);
    }
}
