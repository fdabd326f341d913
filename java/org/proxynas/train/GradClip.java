package org.proxynas.train;

import org.proxynas.nn.Param;

import java.util.List;

/** torch.nn.utils.clip_grad_norm_: scales all gradients by max/(norm + 1e-6) when their global L2 norm exceeds max. */
public final class GradClip {
    private GradClip() {}

    /** Returns the norm before clipping. */
    public static double clip(List<Param> params, double maxNorm) {
        if (params.isEmpty()) return 0;
        var k = params.get(0).grad().backend().kernels();
        double sq = 0;
        for (Param p : params) sq += k.sumSquares(p.grad());
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) for (Param p : params) k.scale(p.grad(), (float) coef);
        return norm;
    }
}
