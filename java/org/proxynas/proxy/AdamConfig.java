package org.proxynas.proxy;

import java.util.List;
import org.proxynas.nn.Adam;
import org.proxynas.nn.Param;

/**
 * PyTorch Adam hyperparameters (L2 weight decay added to the gradient, as {@code torch.optim.Adam}).
 *
 * @param lr          learning rate
 * @param beta1       first-moment decay
 * @param beta2       second-moment decay
 * @param eps         added to the root of the second moment
 * @param weightDecay L2 coefficient added to the gradient (0 = none)
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay) {

    /** The regressor optimiser of docs/method.md#proxy: lr 1e-3, betas (0.5, 0.999), eps 1e-8, no weight decay. */
    public static AdamConfig regressorDefault() { return new AdamConfig(1e-3, 0.5, 0.999, 1e-8, 0.0); }

    /** The α optimiser of docs/method.md#proxy: lr 3e-4, betas (0.5, 0.999), eps 1e-8, weight decay 1e-3. */
    public static AdamConfig alphaDefault() { return new AdamConfig(3e-4, 0.5, 0.999, 1e-8, 1e-3); }

    public AdamConfig {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("Adam lr must be >= 0 and finite, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Adam beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam beta2 must be in [0, 1), got " + beta2);
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("Adam eps must be > 0, got " + eps);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("Adam weight decay must be >= 0, got " + weightDecay);
        }
    }

    public AdamConfig withLr(double newLr) { return new AdamConfig(newLr, beta1, beta2, eps, weightDecay); }

    /** An Adam over params with these betas, eps and decay, in float as the kernel takes them; step it at {@link #lrFloat()}. */
    public Adam over(List<Param> params) {
        return new Adam(params, (float) beta1, (float) beta2, (float) eps, (float) weightDecay);
    }

    public float lrFloat() { return (float) lr; }
}
