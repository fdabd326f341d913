package org.proxynas.nn;

import org.proxynas.tensor.Checks;
import org.proxynas.tensor.OptimChecks;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's torch.optim.Adam (amsgrad off, L2 weight decay added to the gradient) over a parameter list, on the
 * backend through {@code Kernels.adamStep}: the optimiser of the proxy regressors, and of any trainer that wants
 * Adam. The moments are named {@code adam.m.<param>} and {@code adam.v.<param>} (keys of regressor files).
 */
public final class Adam implements Optimizer {
    private final List<Param> params;
    private final Tensor[] m, v;
    private final float beta1, beta2, eps, weightDecay;
    private int steps;

    public Adam(List<Param> params, float beta1, float beta2, float eps, float weightDecay) {
        OptimChecks.adamHyperparameters(beta1, beta2, eps, weightDecay);
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            Tensor value = this.params.get(i).value();
            m[i] = value.backend().allocateLike(value);
            v[i] = value.backend().allocateLike(value);
        }
    }

    /** One update of every parameter from its accumulated gradient; the step count (bias correction) rises first. */
    @Override public void step(float lr) {
        Checks.nonNegative("learning rate", lr);
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            p.value().backend().kernels().adamStep(p.value(), p.grad(), m[i], v[i], lr, beta1, beta2, eps, weightDecay, steps);
        }
    }

    /** The moments, per parameter m then v, in parameter order. */
    @Override public List<NamedTensor> state() {
        List<NamedTensor> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            out.add(new NamedTensor("adam.m." + params.get(i).name(), m[i]));
            out.add(new NamedTensor("adam.v." + params.get(i).name(), v[i]));
        }
        return out;
    }

    @Override public int steps() { return steps; }

    @Override public void setSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("Adam step count must be >= 0, got " + steps);
        this.steps = steps;
    }

    /** Forgets the moments and the step count: a fresh optimiser on the same parameters. */
    public void reset() {
        steps = 0;
        for (int i = 0; i < m.length; i++) {
            m[i].backend().kernels().fill(m[i], 0f);
            v[i].backend().kernels().fill(v[i], 0f);
        }
    }
}
