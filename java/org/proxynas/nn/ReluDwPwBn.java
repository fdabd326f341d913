package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import java.util.List;

/**
 * ReLU, depthwise conv, 1x1 conv (C to C) and affine-free batch norm as one layer on the fused kernels
 * ({@link org.proxynas.tensor.Kernels#reluDwPwForward}): a supernet sep-conv half or dil-conv. Parameters and
 * buffers keep the names and creation order of the unfused layers (dwName.weight, pwName.weight,
 * bnName.running_mean/var), so checkpoints, initialisation and the PyTorch reference map unchanged; on the CPU every
 * result is bit-identical to the unfused chain, which is what the CPU runs. Training keeps x, the pre-norm output
 * and its statistics; backward recomputes the ReLU and depthwise outputs. Eval runs the unfused kernels with the
 * running statistics, as BatchNorm does.
 */
final class ReluDwPwBn implements DeferredNorm {
    private final Net net;
    private final ConvGeom geom;
    private final Param dw, pw;
    private final Tensor runningMean, runningVar, saveMean, saveInvStd;
    private final String bnName;
    private Tensor x, pre, out;

    ReluDwPwBn(Net net, String dwName, String pwName, String bnName, int c, ConvGeom geom) {
        this.net = net;
        this.geom = geom;
        this.bnName = bnName;
        int k = geom.kernel();
        this.dw = Params.uniform(net, dwName + ".weight", k * k, c, 1, k, k);
        this.pw = Params.uniform(net, pwName + ".weight", c, c, c, 1, 1);
        this.runningMean = net.backend().allocate(c);
        this.runningVar = net.backend().allocate(c);
        net.k().fill(runningVar, 1f);
        this.saveMean = net.backend().allocate(c);
        this.saveInvStd = net.backend().allocate(c);
    }

    @Override public Tensor forwardPreNorm(Tensor x) {
        this.x = x;
        pre = net.ws().take(outShape(x.shape()));
        net.k().reluDwPwForward(x, dw.value(), pw.value(), geom, pre, runningMean, runningVar, BatchNorm.MOMENTUM,
                BatchNorm.EPS, saveMean, saveInvStd);
        return pre;
    }

    @Override public Tensor mean() { return saveMean; }

    @Override public Tensor invStd() { return saveInvStd; }

    @Override public Tensor forward(Tensor x) {
        if (!net.training()) return evalForward(x);
        forwardPreNorm(x);
        out = net.ws().take(pre.shape());
        net.k().bnWeightedSum(new Tensor[]{pre}, new Tensor[]{saveMean}, new Tensor[]{saveInvStd}, TermWeights.of(1f),
                out, false);
        return out;
    }

    /** The unfused chain with the running statistics; intermediates go back to the workspace at once. */
    private Tensor evalForward(Tensor x) {
        int[] shape = outShape(x.shape());
        Tensor r = net.ws().take(x.shape()), z = net.ws().take(shape), y = net.ws().take(shape);
        net.k().relu(x, r);
        net.k().depthwiseConvForward(r, dw.value(), z, geom);
        net.k().pointwiseConvForward(z, pw.value(), y, 1, 0);
        out = net.ws().take(shape);
        net.k().batchNormEvalForward(y, null, null, runningMean, runningVar, BatchNorm.EPS, out);
        net.ws().give(r);
        net.ws().give(z);
        net.ws().give(y);
        return out;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        Tensor dpre = net.ws().take(pre.shape());
        net.k().batchNormBackward(dy, pre, null, saveMean, saveInvStd, dpre, null, null, false);
        backwardPreNorm(dpre, dx, accumulate);
        net.ws().give(dpre);
    }

    @Override public void backwardPreNorm(Tensor dpre, Tensor dx, boolean accumulate) {
        boolean grads = net.parameterGradients();
        net.k().reluDwPwBackward(dpre, x, dw.value(), pw.value(), geom, dx, grads ? dw.grad() : null, grads ? pw.grad() : null,
                accumulate);
    }

    @Override public int[] outShape(int[] in) { return new int[] {in[0], in[1], geom.outSize(in[2]), geom.outSize(in[3])}; }

    @Override public void collectParams(List<Param> o) {
        o.add(dw);
        o.add(pw);
    }

    @Override public void collectBuffers(List<NamedTensor> o) {
        o.add(new NamedTensor(bnName + ".running_mean", runningMean));
        o.add(new NamedTensor(bnName + ".running_var", runningVar));
    }

    @Override public void release() {
        net.ws().give(pre);
        net.ws().give(out);
        pre = out = x = null;
    }
}
