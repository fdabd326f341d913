package org.proxynas.proxy;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * The supervised loss of a regressor on the device. MSE is the {@code mseLoss} kernel. The weighted loss
 * mean((ŷ−ℓ)²/ℓ) is the same kernel on rescaled values: with w = 1/√ℓ, (ŷw − ℓw)² = (ŷ−ℓ)²/ℓ, so
 * pred' = ŷ⊙w, target' = √ℓ, and dŷ = dpred'⊙w.
 */
final class SupervisedLoss {
    private SupervisedLoss() {}

    /** Labels on the device as [B, 1], checked finite (and &gt; 0 for the weighted loss). */
    static Tensor labels(Backend backend, double[] labels, RegressionLoss kind) {
        float[] h = new float[labels.length];
        for (int i = 0; i < h.length; i++) {
            double l = labels[i];
            if (!Double.isFinite(l)) throw new IllegalArgumentException("label " + i + " is not finite: " + l);
            if (kind == RegressionLoss.WEIGHTED && !(l > 0)) {
                throw new IllegalArgumentException("the weighted loss needs labels > 0, label " + i + " is " + l);
            }
            h[i] = (float) l;
        }
        return backend.fromHost(h, labels.length, 1);
    }

    /**
     * Loss of predictions y [B,1] against labels [B,1]; when dy is not null it is overwritten with
     * scale·dLoss/dy.
     */
    static double apply(Backend backend, RegressionLoss kind, Tensor y, Tensor labels, Tensor dy, float scale) {
        if (kind == RegressionLoss.MSE) return backend.kernels().mseLoss(y, labels, dy, scale);
        float[] l = labels.toHost();
        float[] w = new float[l.length], t = new float[l.length];
        for (int i = 0; i < l.length; i++) {
            w[i] = (float) (1.0 / Math.sqrt(l[i]));
            t[i] = (float) Math.sqrt(l[i]);
        }
        Tensor wt = backend.fromHost(w, y.shape());
        Tensor target = backend.fromHost(t, y.shape());
        Tensor pred = backend.allocate(y.shape());
        backend.kernels().mul(y, wt, pred, false);
        Tensor dpred = dy == null ? null : backend.allocate(y.shape());
        double loss = backend.kernels().mseLoss(pred, target, dpred, scale);
        if (dy != null) backend.kernels().mul(dpred, wt, dy, false);
        return loss;
    }
}
