package org.proxynas.tensor;

import java.util.List;

/**
 * A backend's {@link Kernels}, assembled from one object per family: every method is handed to its family. The CPU
 * and CUDA backends build one from their family classes ({@code CpuConv}, ..., {@code CudaConv}, ...); a port does the
 * same with its own.
 */
public record KernelFamilies(ConvKernels conv,
                             NormKernels norm,
                             ElementwiseKernels elementwise,
                             PoolKernels pool,
                             DenseKernels dense,
                             LossKernels loss,
                             OptimKernels optim,
                             AugmentKernels augment,
                             FusedKernels fused) implements Kernels {

    // ---- conv ------------------------------------------------------------------------------------------------
    @Override public void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) { conv.depthwiseConvForward(x, w, y, g); }
    @Override public void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) { conv.depthwiseConvBackwardData(dy, w, dx, g, accumulate); }
    @Override public void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) { conv.depthwiseConvBackwardFilter(x, dy, dw, g); }
    @Override public void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) { conv.pointwiseConvForward(x, w, y, stride, offset); }
    @Override public void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) { conv.pointwiseConvBackwardData(dy, w, dx, stride, offset, accumulate); }
    @Override public void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) { conv.pointwiseConvBackwardWeight(x, dy, dw, stride, offset); }
    @Override public void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) { conv.convForward(x, w, y, g); }
    @Override public void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) { conv.convBackwardData(dy, w, dx, g, accumulate); }
    @Override public void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) { conv.convBackwardFilter(x, dy, dw, g); }

    // ---- norm ------------------------------------------------------------------------------------------------
    @Override public void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) { norm.batchNormTrainForward(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd); }
    @Override public void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps, Tensor y) { norm.batchNormEvalForward(x, gamma, beta, runningMean, runningVar, eps, y); }
    @Override public void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta, boolean accumulate) { norm.batchNormBackward(dy, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, accumulate); }
    @Override public void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate) { norm.batchNormEvalBackward(dy, gamma, runningVar, eps, dx, accumulate); }

    // ---- elementwise -----------------------------------------------------------------------------------------
    @Override public void relu(Tensor x, Tensor y) { elementwise.relu(x, y); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) { elementwise.reluBackward(y, dy, dx, accumulate); }
    @Override public void sigmoid(Tensor x, Tensor y) { elementwise.sigmoid(x, y); }
    @Override public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) { elementwise.sigmoidBackward(y, dy, dx, accumulate); }
    @Override public void fill(Tensor t, float value) { elementwise.fill(t, value); }
    @Override public void axpy(float a, Tensor x, Tensor y) { elementwise.axpy(a, x, y); }
    @Override public void scale(Tensor x, float a) { elementwise.scale(x, a); }
    @Override public void mul(Tensor a, Tensor b, Tensor y, boolean accumulate) { elementwise.mul(a, b, y, accumulate); }
    @Override public void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate) { elementwise.weightedSum(xs, weights, y, accumulate); }
    @Override public void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate) { elementwise.scaleSamples(x, scales, y, accumulate); }
    @Override public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) { elementwise.dropout(x, y, mask, p, seed); }
    @Override public double dot(Tensor a, Tensor b) { return elementwise.dot(a, b); }
    @Override public double sumSquares(Tensor x) { return elementwise.sumSquares(x); }
    @Override public void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate) { elementwise.copyChannels(src, srcChannel, dst, dstChannel, channels, accumulate); }

    // ---- pool ------------------------------------------------------------------------------------------------
    @Override public void maxPoolForward(Tensor x, Tensor y, ConvGeom g) { pool.maxPoolForward(x, y, g); }
    @Override public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) { pool.maxPoolBackward(x, dy, dx, g, accumulate); }
    @Override public void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) { pool.avgPoolForward(x, y, g, countIncludePad); }
    @Override public void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) { pool.avgPoolBackward(dy, dx, g, countIncludePad, accumulate); }
    @Override public void globalAvgPoolForward(Tensor x, Tensor y) { pool.globalAvgPoolForward(x, y); }
    @Override public void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) { pool.globalAvgPoolBackward(dy, dx, accumulate); }

    // ---- dense -----------------------------------------------------------------------------------------------
    @Override public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) { dense.linearForward(x, w, b, y); }
    @Override public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) { dense.linearBackwardData(dy, w, dx, accumulate); }
    @Override public void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) { dense.linearBackwardParams(x, dy, dw, db); }
    @Override public void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) { dense.batchedMatMul(a, b, c, transA, transB, accumulate); }
    @Override public void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) { dense.lstmCellForward(gates, cPrev, act, c, h); }
    @Override public void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) { dense.lstmCellBackward(act, cPrev, c, dh, dcNext, dgates, dcPrev); }

    // ---- loss ------------------------------------------------------------------------------------------------
    @Override public LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) { return loss.softmaxCrossEntropy(logits, labels, dlogits, gradScale); }
    @Override public double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) { return loss.mseLoss(pred, target, dpred, gradScale); }
    @Override public double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) { return loss.bceLoss(prob, target, dprob, gradScale); }

    // ---- optim -----------------------------------------------------------------------------------------------
    @Override public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) { optim.sgdStep(param, grad, momentumBuf, lr, momentum, weightDecay); }
    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay, int step) { optim.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step); }
    @Override public void clipGradNorm(List<Tensor> grads, double maxNorm) { optim.clipGradNorm(grads, maxNorm); }

    // ---- augment ---------------------------------------------------------------------------------------------
    @Override public void augment(Tensor source, AugmentPlan plan, Tensor out) { augment.augment(source, plan, out); }

    // ---- fused -----------------------------------------------------------------------------------------------
    @Override public void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean, Tensor runningVar, float momentum, float eps, Tensor saveMean, Tensor saveInvStd) { fused.reluDwPwForward(x, dw, pw, g, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd); }
    @Override public void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw, boolean accumulate) { fused.reluDwPwBackward(dy, x, dw, pw, g, dx, ddw, dpw, accumulate); }
    @Override public void bnWeightedSum(Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor y, boolean accumulate) { fused.bnWeightedSum(xs, means, invStds, weights, y, accumulate); }
    @Override public void bnWeightedSumBackward(Tensor dy, Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor[] dxs, boolean accumulate) { fused.bnWeightedSumBackward(dy, xs, means, invStds, weights, dxs, accumulate); }
}
