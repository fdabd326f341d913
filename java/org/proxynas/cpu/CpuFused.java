package org.proxynas.cpu;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.FusedChecks;
import org.proxynas.tensor.FusedKernels;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.ReluDwPwChain;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fused kernels on the CPU: literally the unfused chain of the CPU's own kernels, with scratch tensors for the
 * intermediates a fused GPU kernel keeps on chip. So the CPU result of a fused call is bit-identical to running the
 * layers one by one (what nn did before fusion), and every fused GPU kernel is checked against that chain. The
 * scratch tensors are pooled by shape, so a training step allocates nothing once warm.
 */
final class CpuFused implements FusedKernels {
    private final CpuBackend backend;
    private final Parallel parallel;
    private final Map<Shape, ArrayDeque<Tensor>> scratch = new HashMap<>();

    private record Shape(int[] dims) {
        @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
        @Override public int hashCode() { return Arrays.hashCode(dims); }
    }

    /** A scratch tensor (dirty: every use overwrites it); synchronised, as callers may share the backend. */
    private synchronized Tensor take(int... shape) {
        ArrayDeque<Tensor> q = scratch.get(new Shape(shape));
        return q == null || q.isEmpty() ? backend.allocate(shape) : q.pop();
    }

    private synchronized void give(Tensor... tensors) {
        for (Tensor t : tensors) scratch.computeIfAbsent(new Shape(t.shape()), s -> new ArrayDeque<>()).push(t);
    }

    CpuFused(CpuBackend backend, Parallel parallel) {
        this.backend = backend;
        this.parallel = parallel;
    }

    /** The CPU's own kernels, which the chains run on (the backend assembles them after this family). */
    private Kernels k() { return backend.kernels(); }

    /** relu, depthwiseConvForward, pointwiseConvForward, then batchNormTrainForward's statistics of y. */
    @Override public void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean, Tensor runningVar,
                                          float momentum, float eps, Tensor saveMean, Tensor saveInvStd) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "y", y);
        FusedChecks.statistics(backend, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd);
        List<Tensor> taken = new ArrayList<>();
        ReluDwPwChain.forward(k(), pooled(taken), x, dw, pw, g, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd, s);
        give(taken.toArray(Tensor[]::new));
    }

    /** The layer chain's backward in reverse order, the intermediates recomputed from x. */
    @Override public void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw,
                                           boolean accumulate) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "dy", dy);
        FusedChecks.reluDwPwGradients(backend, x, dw, pw, dx, ddw, dpw);
        List<Tensor> taken = new ArrayList<>();
        ReluDwPwChain.backward(k(), pooled(taken), dy, x, dw, pw, g, dx, ddw, dpw, accumulate, s);
        give(taken.toArray(Tensor[]::new));
    }

    /** The chain's scratch from the shape pool; what it takes is listed in taken, to be given back after. */
    private ReluDwPwChain.Scratch pooled(List<Tensor> taken) {
        return (role, shape) -> {
            Tensor t = take(shape);
            taken.add(t);
            return t;
        };
    }

    /** Each input batch-normalised with its statistics (where given), then weightedSum. */
    @Override public void bnWeightedSum(Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor y, boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "y", y);
        Tensor[] terms = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) terms[i] = means[i] == null ? xs[i] : normalised(xs[i], means[i], invStds[i]);
        k().weightedSum(terms, values(weights), y, accumulate);
        for (int i = 0; i < xs.length; i++) if (terms[i] != xs[i]) give(terms[i]);
    }

    /**
     * Per input, MixedEdge's unfused backward: the weight gradient dot(dy, xhat) added to its accumulator, dop =
     * weight * dy (weightedSum), then batchNormBackward of dop (normalised inputs) or dop itself into dxs[i].
     */
    @Override public void bnWeightedSumBackward(Tensor dy, Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor[] dxs,
                                                boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "dy", dy);
        FusedChecks.bnGradients(backend, xs, dxs, dy);
        float[] values = values(weights);
        float[] grads = weights instanceof TermWeights.Stored s && s.grads() != null ? CpuBackend.data(s.grads()) : null;
        Tensor dop = take(dy.shape());
        for (int i = 0; i < xs.length; i++) {
            boolean normalised = means[i] != null;
            if (grads != null) {
                int at = ((TermWeights.Stored) weights).index()[i];
                Tensor xhat = normalised ? normalised(xs[i], means[i], invStds[i]) : xs[i];
                DoublePairs.set(grads, at, DoublePairs.get(grads, at) + k().dot(dy, xhat));
                if (normalised) give(xhat);
            }
            if (dxs[i] == null) continue;
            float[] w = {values[i]};
            if (normalised) {
                k().weightedSum(new Tensor[]{dy}, w, dop, false);
                k().batchNormBackward(dop, xs[i], null, means[i], invStds[i], dxs[i], null, null, accumulate);
            } else {
                k().weightedSum(new Tensor[]{dy}, w, dxs[i], accumulate);
            }
        }
        give(dop);
    }

    /** The weights' values, stored ones read from their tensor. */
    private static float[] values(TermWeights weights) {
        return switch (weights) {
            case TermWeights.Fixed f -> f.values();
            case TermWeights.Stored s -> {
                float[] source = CpuBackend.data(s.values()), w = new float[s.count()];
                for (int t = 0; t < w.length; t++) w[t] = source[s.index()[t]];
                yield w;
            }
        };
    }

    /**
     * (x - mean[c]) * invStd[c] + 0: batchNormTrainForward's element formula for gamma = beta = null (its scale is
     * then invStd itself and its shift 0), so the result is bit-identical to that batch norm's output. A scratch
     * tensor: the caller gives it back.
     */
    private Tensor normalised(Tensor x, Tensor mean, Tensor invStd) {
        Tensor y = take(x.shape());
        float[] xd = CpuBackend.data(x), yd = CpuBackend.data(y), md = CpuBackend.data(mean), sd = CpuBackend.data(invStd);
        int n = x.n(), c = x.c(), plane = x.plane();
        parallel.forEach(c, ch -> {
            float m = md[ch], s = sd[ch];
            for (int img = 0; img < n; img++) {
                for (int i = (img * c + ch) * plane, end = i + plane; i < end; i++) yd[i] = (xd[i] - m) * s + 0f;
            }
        });
        return y;
    }
}
