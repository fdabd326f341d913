package org.proxynas.train;

import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Optimizer;
import org.proxynas.nn.Param;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** SGD with momentum and L2 weight decay, as PyTorch's torch.optim.SGD (dampening 0, no Nesterov). */
public final class Sgd implements Optimizer {
    private final List<Param> params;
    private final Tensor[] momentum;
    private final float mu, weightDecay;
    private final Kernels k;
    private int steps;

    public Sgd(List<Param> params, float momentum, float weightDecay) {
        Checks.range("momentum", momentum, 0, 1);
        Checks.nonNegative("weight decay", weightDecay);
        this.params = List.copyOf(params);
        this.mu = momentum;
        this.weightDecay = weightDecay;
        this.momentum = new Tensor[params.size()];
        for (int i = 0; i < params.size(); i++) this.momentum[i] = params.get(i).value().backend().allocateLike(params.get(i).value());
        this.k = params.isEmpty() ? null : params.get(0).value().backend().kernels();
    }

    @Override public void step(float lr) {
        Checks.nonNegative("learning rate", lr);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            k.sgdStep(p.value(), p.grad(), momentum[i], lr, mu, weightDecay);
        }
        steps++;
    }

    @Override public List<NamedTensor> state() {
        List<NamedTensor> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) out.add(new NamedTensor(params.get(i).name() + ".momentum", momentum[i]));
        return out;
    }

    @Override public int steps() { return steps; }
    @Override public void setSteps(int steps) { this.steps = steps; }
}
