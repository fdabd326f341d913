package org.proxynas.cuda;

import org.proxynas.tensor.NormChecks;
import org.proxynas.tensor.NormKernels;
import org.proxynas.tensor.Tensor;

import static org.proxynas.cuda.Launches.flag;

/**
 * Batch norm on CUDA (cuda/norm.cu), as {@code CpuNorm} on the CPU: the training forward and the backward run one
 * block per channel (its statistics summed by the block), the eval passes one thread per element.
 */
final class CudaNorm implements NormKernels {
    private final Launches l;

    CudaNorm(Launches launches) { this.l = launches; }

    @Override public void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                                float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        NormChecks.batchNormTrainForward(l.backend(), x, gamma, beta, runningMean, runningVar, momentum, eps, y,
                saveMean, saveInvStd);
        int c = x.c();
        l.perBlock("batchnorm_train_forward_f32", c, l.ptr(x), l.optPtr(gamma), l.optPtr(beta), l.optPtr(runningMean),
                l.optPtr(runningVar), momentum, eps, l.ptr(y), l.ptr(saveMean), l.ptr(saveInvStd), x.n(), c, x.plane());
    }

    @Override public void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
                                               Tensor y) {
        NormChecks.batchNormEvalForward(l.backend(), x, gamma, beta, runningMean, runningVar, eps, y);
        l.perThread("batchnorm_eval_forward_f32", x.size(), l.ptr(x), l.optPtr(gamma), l.optPtr(beta),
                l.ptr(runningMean), l.ptr(runningVar), eps, l.ptr(y), x.size(), x.c(), x.plane());
    }

    @Override public void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                                            Tensor dgamma, Tensor dbeta, boolean accumulate) {
        NormChecks.batchNormBackward(l.backend(), dy, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
        int c = x.c();
        l.perBlock("batchnorm_backward_f32", c, l.ptr(dy), l.ptr(x), l.optPtr(gamma), l.ptr(saveMean),
                l.ptr(saveInvStd), l.ptr(dx), l.optPtr(dgamma), l.optPtr(dbeta), flag(accumulate), x.n(), c, x.plane());
    }

    @Override public void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate) {
        NormChecks.batchNormEvalBackward(l.backend(), dy, gamma, runningVar, eps, dx);
        l.perThread("batchnorm_eval_backward_f32", dy.size(), l.ptr(dy), l.optPtr(gamma), l.ptr(runningVar), eps,
                l.ptr(dx), flag(accumulate), dy.size(), dy.c(), dy.plane());
    }
}
