package org.proxynas.train;

import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Adam with L2 weight decay added to the gradient, as PyTorch's torch.optim.Adam. */
public final class Adam implements Optimizer {
    private final List<Param> params;
    private final Tensor[] m, v;
    private final float beta1, beta2, eps, weightDecay;
    private final Kernels k;
    private int steps;

    public Adam(List<Param> params, float beta1, float beta2, float eps, float weightDecay) {
        Checks.range("beta1", beta1, 0, 0.999999);
        Checks.range("beta2", beta2, 0, 0.999999);
        Checks.positive("eps", eps);
        Checks.nonNegative("weight decay", weightDecay);
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new Tensor[params.size()];
        this.v = new Tensor[params.size()];
        for (int i = 0; i < params.size(); i++) {
            m[i] = params.get(i).value().backend().allocateLike(params.get(i).value());
            v[i] = params.get(i).value().backend().allocateLike(params.get(i).value());
        }
        this.k = params.isEmpty() ? null : params.get(0).value().backend().kernels();
    }

    @Override public void step(float lr) {
        Checks.nonNegative("learning rate", lr);
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            k.adamStep(p.value(), p.grad(), m[i], v[i], lr, beta1, beta2, eps, weightDecay, steps);
        }
    }

    @Override public List<NamedTensor> state() {
        List<NamedTensor> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            out.add(new NamedTensor(params.get(i).name() + ".adam_m", m[i]));
            out.add(new NamedTensor(params.get(i).name() + ".adam_v", v[i]));
        }
        return out;
    }

    @Override public int steps() { return steps; }
    @Override public void setSteps(int steps) { this.steps = steps; }
}
