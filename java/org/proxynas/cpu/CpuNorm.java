package org.proxynas.cpu;

import java.util.Arrays;

import org.proxynas.tensor.NormChecks;
import org.proxynas.tensor.NormKernels;
import org.proxynas.tensor.Tensor;

/**
 * CPU batch norm over NCHW ([N,C,H,W], BatchNorm2d) or [N,C] (BatchNorm1d) fp32 arrays. One task per channel:
 * it owns that channel's statistics, parameter gradients and output elements, so nothing is shared between
 * tasks and the results do not depend on scheduling. Channel statistics are two-pass: per plane a vector sum
 * ({@link NormRows}), the plane sums accumulated in double.
 *
 * <p>Formulas, per channel over the M = N*H*W values: mean, biased variance var; invStd = 1/sqrt(var + eps);
 * y = (x - mean) * (gamma * invStd) + beta. Running statistics follow PyTorch: r = (1 - momentum) r + momentum
 * * stat, with the unbiased variance var * M / (M - 1). Backward, with xhat = (x - mean) * invStd:
 * dbeta = sum dy, dgamma = sum dy * xhat, dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)).
 */
final class CpuNorm implements NormKernels {
    private final CpuBackend backend;
    private final Parallel parallel;

    CpuNorm(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** The layout of x: n planes of {@code plane} values per channel, channel c's plane i at (i*c + ch)*plane. */
    private record Layout(int n, int c, int plane) {
        int offset(int img, int ch) { return (img * c + ch) * plane; }
        int count() { return n * plane; }
    }

    private static Layout layout(Tensor x) { return new Layout(x.n(), x.c(), x.plane()); }

    @Override public void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                                float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        NormChecks.batchNormTrainForward(backend, x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
        Layout l = layout(x);
        int c = l.c();

        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        float[] gd = gamma == null ? null : CpuBackend.data(gamma), bd = beta == null ? null : CpuBackend.data(beta);
        float[] rm = runningMean == null ? null : CpuBackend.data(runningMean);
        float[] rv = runningVar == null ? null : CpuBackend.data(runningVar);
        float[] sm = CpuBackend.data(saveMean), si = CpuBackend.data(saveInvStd);
        double m = l.count();
        parallel.forEach(c, ch -> {
            double sum = 0;
            for (int n = 0; n < l.n(); n++) sum += NormRows.sum(xd, l.offset(n, ch), l.plane());
            double mean = sum / m;
            double sq = 0;
            for (int n = 0; n < l.n(); n++) sq += NormRows.sumSquaredDeviations(xd, l.offset(n, ch), l.plane(), (float) mean);
            double var = sq / m;
            double invStd = 1.0 / Math.sqrt(var + eps);
            float mf = (float) mean;
            float scale = (float) ((gd == null ? 1.0 : gd[ch]) * invStd);
            float shift = bd == null ? 0f : bd[ch];
            for (int n = 0; n < l.n(); n++) NormRows.normalise(xd, yd, l.offset(n, ch), l.plane(), mf, scale, shift);
            sm[ch] = mf;
            si[ch] = (float) invStd;
            if (rm != null) {
                rm[ch] = (float) ((1.0 - momentum) * rm[ch] + momentum * mean);
                rv[ch] = (float) ((1.0 - momentum) * rv[ch] + momentum * (sq / (m - 1)));
            }
        });
    }

    @Override public void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                               float eps, Tensor y) {
        NormChecks.batchNormEvalForward(backend, x, gamma, beta, runningMean, runningVar, eps, y);
        Layout l = layout(x);
        int c = l.c();

        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y);
        float[] gd = gamma == null ? null : CpuBackend.data(gamma), bd = beta == null ? null : CpuBackend.data(beta);
        float[] rm = CpuBackend.data(runningMean), rv = CpuBackend.data(runningVar);
        parallel.forEach(c, ch -> {
            float scale = (float) ((gd == null ? 1.0 : gd[ch]) / Math.sqrt((double) rv[ch] + eps));
            float shift = bd == null ? 0f : bd[ch];
            for (int n = 0; n < l.n(); n++) NormRows.normalise(xd, yd, l.offset(n, ch), l.plane(), rm[ch], scale, shift);
        });
    }

    @Override public void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                            Tensor dx, Tensor dgamma, Tensor dbeta, boolean accumulate) {
        NormChecks.batchNormBackward(backend, dy, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
        Layout l = layout(x);
        int c = l.c();

        float[] dyd = CpuBackend.data(dy), xd = CpuBackend.data(x), dxd = CpuBackend.data(dx);
        float[] gd = gamma == null ? null : CpuBackend.data(gamma);
        float[] sm = CpuBackend.data(saveMean), si = CpuBackend.data(saveInvStd);
        float[] dg = dgamma == null ? null : CpuBackend.data(dgamma), db = dbeta == null ? null : CpuBackend.data(dbeta);
        double m = l.count();
        parallel.forEach(c, ch -> {
            double invStd = si[ch];
            double sumDy = 0, sumDyXc = 0;   // sum dy and sum dy * (x - mean)
            for (int n = 0; n < l.n(); n++) {
                int o = l.offset(n, ch);
                sumDy += NormRows.sum(dyd, o, l.plane());
                sumDyXc += NormRows.dotDeviations(dyd, xd, o, l.plane(), sm[ch]);
            }
            double g = gd == null ? 1.0 : gd[ch];
            // dx = a*dy + b*(x - mean) + c0, the formula of the class comment expanded
            float a = (float) (g * invStd);
            float b = (float) (-g * invStd * invStd * invStd * sumDyXc / m);
            float c0 = (float) (-g * invStd * sumDy / m);
            float mf = sm[ch];
            for (int n = 0; n < l.n(); n++) NormRows.backward(dyd, xd, dxd, l.offset(n, ch), l.plane(), mf, a, b, c0, accumulate);
            if (dg != null) dg[ch] = (float) (dg[ch] + sumDyXc * invStd);
            if (db != null) db[ch] = (float) (db[ch] + sumDy);
        });
    }

    @Override public void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate) {
        NormChecks.batchNormEvalBackward(backend, dy, gamma, runningVar, eps, dx);
        Layout l = layout(dy);
        int c = l.c();

        float[] dyd = CpuBackend.data(dy), dxd = CpuBackend.data(dx);
        float[] gd = gamma == null ? null : CpuBackend.data(gamma), rv = CpuBackend.data(runningVar);
        parallel.forEach(c, ch -> {
            float scale = (float) ((gd == null ? 1.0 : gd[ch]) / Math.sqrt((double) rv[ch] + eps));
            for (int n = 0; n < l.n(); n++) {
                int o = l.offset(n, ch);
                if (accumulate) ConvRows.axpy(dxd, o, scale, dyd, o, l.plane());
                else for (int i = o; i < o + l.plane(); i++) dxd[i] = scale * dyd[i];
            }
        });
    }
}
