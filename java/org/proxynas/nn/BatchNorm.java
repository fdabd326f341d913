package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * Batch norm over channels of [N,C,H,W] or [N,C]: batch statistics in training (running statistics updated with
 * momentum 0.1, eps 1e-5, as PyTorch), running statistics in eval. affine = false has no gamma/beta.
 */
public final class BatchNorm implements Layer {
    public static final float MOMENTUM = 0.1f, EPS = 1e-5f;

    private final Net net;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar, saveMean, saveInvStd;
    private final String name;
    private Tensor x, y;

    public BatchNorm(Net net, String name, int channels, boolean affine) {
        this.net = net;
        this.name = name;
        this.gamma = affine ? Params.constant(net, name + ".weight", 1f, channels) : null;
        this.beta = affine ? Params.constant(net, name + ".bias", 0f, channels) : null;
        this.runningMean = net.backend().allocate(channels);
        this.runningVar = net.backend().allocate(channels);
        net.k().fill(runningVar, 1f);
        this.saveMean = net.backend().allocate(channels);
        this.saveInvStd = net.backend().allocate(channels);
    }

    @Override public Tensor forward(Tensor x) {
        this.x = x;
        y = net.ws().take(x.shape());
        if (net.training()) {
            net.k().batchNormTrainForward(x, gammaValue(), betaValue(), runningMean, runningVar, MOMENTUM, EPS, y, saveMean, saveInvStd);
        } else {
            net.k().batchNormEvalForward(x, gammaValue(), betaValue(), runningMean, runningVar, EPS, y);
        }
        return y;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        boolean grads = gamma != null && net.parameterGradients();
        net.k().batchNormBackward(dy, x, gammaValue(), saveMean, saveInvStd, dx, grads ? gamma.grad() : null,
                grads ? beta.grad() : null, accumulate);
    }

    private Tensor gammaValue() { return gamma == null ? null : gamma.value(); }
    private Tensor betaValue() { return beta == null ? null : beta.value(); }

    @Override public int[] outShape(int[] in) { return in; }

    @Override public void collectParams(List<Param> out) {
        if (gamma != null) { out.add(gamma); out.add(beta); }
    }

    @Override public void collectBuffers(List<NamedTensor> out) {
        out.add(new NamedTensor(name + ".running_mean", runningMean));
        out.add(new NamedTensor(name + ".running_var", runningVar));
    }

    @Override public void release() { net.ws().give(y); y = null; x = null; }
}
