package org.proxynas.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The argument checks of the fused kernels (ReLU-depthwise-pointwise and the batch-norm-folded node sums): every
 * backend rejects the same calls, naming the argument; and the optional filter gradients of reluDwPwBackward change
 * nothing else. Their numerics are checked elsewhere against the unfused chain of kernels they replace (CpuFusedTest
 * on the CPU, CudaFusedChecks for CUDA against the CPU).
 */
public abstract class FusedConformance extends KernelSuite {
    @Test
    void reluDwPwBadArgumentsAreRejectedByName() {
        ConvGeom g = ConvGeom.of(3, 1, 1);
        Tensor x = backend.allocate(2, 4, 5, 5), dw = backend.allocate(4, 1, 3, 3), pw = backend.allocate(6, 4, 1, 1);
        Tensor y = backend.allocate(2, 6, 5, 5), v = backend.allocate(6);
        rejects("y must have shape [2, 6, 5, 5]", () -> k.reluDwPwForward(x, dw, pw, g, backend.allocate(2, 4, 5, 5), null, null, 0.1f, 1e-5f, v, v));
        rejects("dw must have shape [4, 1, 3, 3]", () -> k.reluDwPwForward(x, backend.allocate(4, 1, 5, 5), pw, g, y, null, null, 0.1f, 1e-5f, v, v));
        rejects("pw must have shape [*, 4, 1, 1]", () -> k.reluDwPwForward(x, dw, backend.allocate(6, 3, 1, 1), g, y, null, null, 0.1f, 1e-5f, v, v));
        rejects("runningMean and runningVar", () -> k.reluDwPwForward(x, dw, pw, g, y, v, null, 0.1f, 1e-5f, v, v));
        rejects("saveMean must have shape [6]", () -> k.reluDwPwForward(x, dw, pw, g, y, null, null, 0.1f, 1e-5f, backend.allocate(4), v));
        rejects("x must have rank 4", () -> k.reluDwPwForward(backend.allocate(2, 4), dw, pw, g, y, null, null, 0.1f, 1e-5f, v, v));
        rejects("dx must have the shape of x", () -> k.reluDwPwBackward(y, x, dw, pw, g, backend.allocate(2, 4, 5, 4), dw, pw, false));
        rejects("ddw must have the shape of dw", () -> k.reluDwPwBackward(y, x, dw, pw, g, x, pw, dw, false));
        rejects("dy must have shape [2, 6, 5, 5]", () -> k.reluDwPwBackward(x, x, dw, pw, g, x, dw, pw, false));
        try (Backend other = createBackend()) {
            rejects("x lives on backend", () -> k.reluDwPwForward(other.allocate(2, 4, 5, 5), dw, pw, g, y, null, null, 0.1f, 1e-5f, v, v));
        }
    }

    /**
     * The filter gradients of reluDwPwBackward are optional: with either or both null, what is computed equals the
     * full call's bit for bit (tolerance 0: dx and the remaining gradient come from the same kernels on the same
     * inputs; only the skipped gradient's work is left out), with and without accumulation, at stride 1 and 2. Before
     * each partial call a full call on another dy refills whatever scratch a backend keeps, so a partial call that
     * left some of its own intermediate (dz) uncomputed would read that call's values and fail here.
     */
    @Test
    void reluDwPwFilterGradientsAreOptional() {
        Random rnd = new Random(17);
        for (ConvGeom g : new ConvGeom[]{ConvGeom.of(3, 1, 1), new ConvGeom(5, 2, 4, 2)}) {
            Tensor x = randn(rnd, 2, 4, 9, 9), dw = randn(rnd, 4, 1, g.kernel(), g.kernel()), pw = randn(rnd, 6, 4, 1, 1);
            Tensor dx0 = randn(rnd, 2, 4, 9, 9), other = randn(rnd, 2, 6, g.outSize(9), g.outSize(9));
            for (boolean accumulate : new boolean[]{false, true}) {
                Tensor dy = randn(rnd, 2, 6, g.outSize(9), g.outSize(9));
                Tensor dx = backend.allocate(x.shape()), ddw = backend.allocate(dw.shape()), dpw = backend.allocate(pw.shape());
                dx.fromHost(dx0.toHost());
                k.reluDwPwBackward(dy, x, dw, pw, g, dx, ddw, dpw, accumulate);
                for (int skip = 0; skip < 3; skip++) {  // 0: both null, 1: ddw only, 2: dpw only
                    k.reluDwPwBackward(other, x, dw, pw, g, backend.allocate(x.shape()), backend.allocate(dw.shape()),
                            backend.allocate(pw.shape()), false);
                    Tensor dxPart = backend.allocate(x.shape());
                    dxPart.fromHost(dx0.toHost());
                    Tensor ddwPart = skip == 1 ? backend.allocate(dw.shape()) : null, dpwPart = skip == 2 ? backend.allocate(pw.shape()) : null;
                    k.reluDwPwBackward(dy, x, dw, pw, g, dxPart, ddwPart, dpwPart, accumulate);
                    String what = g + " accumulate=" + accumulate + " skip " + skip;
                    assertArrayEquals(dx.toHost(), dxPart.toHost(), what + ": dx");
                    if (ddwPart != null) assertArrayEquals(ddw.toHost(), ddwPart.toHost(), what + ": ddw");
                    if (dpwPart != null) assertArrayEquals(dpw.toHost(), dpwPart.toHost(), what + ": dpw");
                }
            }
        }
    }

    @Test
    void bnWeightedSumBadArgumentsAreRejectedByName() {
        Tensor x = backend.allocate(2, 3, 4, 4), y = backend.allocate(2, 3, 4, 4), v = backend.allocate(3);
        Tensor dx = backend.allocate(2, 3, 4, 4);
        Tensor[] xs = {x}, ms = {v}, ss = {v};
        TermWeights w = TermWeights.of(0.5f);
        rejects("means, invStds and weights must have one entry per input (1)", () -> k.bnWeightedSum(xs, ms, ss, TermWeights.of(1, 2), y, false));
        rejects("means[0] and invStds[0] must be both given", () -> k.bnWeightedSum(xs, ms, new Tensor[]{null}, w, y, false));
        rejects("means[0] must have shape [3]", () -> k.bnWeightedSum(xs, new Tensor[]{backend.allocate(4)}, ss, w, y, false));
        rejects("xs[0] must have the shape of y", () -> k.bnWeightedSum(new Tensor[]{backend.allocate(2, 3, 4, 5)}, ms, ss, w, y, false));
        rejects("dxs[0] must not share a buffer with dy", () -> k.bnWeightedSumBackward(y, xs, ms, ss, w, new Tensor[]{y}, false));
        rejects("dxs[0] must not share a buffer with xs[0]", () -> k.bnWeightedSumBackward(y, xs, ms, ss, w, new Tensor[]{x}, false));
        rejects("dxs must have one entry per input (1)", () -> k.bnWeightedSumBackward(y, xs, ms, ss, w, new Tensor[0], false));
        Tensor values = backend.allocate(4), grads = backend.allocate(8);
        Tensor[] dxs = {dx};
        rejects("weights.index[0] must be in [0, 4), got 4", () -> k.bnWeightedSum(xs, ms, ss, TermWeights.stored(values, new int[]{4}, null), y, false));
        rejects("weights.values must have rank 1", () -> k.bnWeightedSum(xs, ms, ss, TermWeights.stored(backend.allocate(2, 2), new int[]{0}, null), y, false));
        rejects("weights.grads must have shape [8], got [6]", () -> k.bnWeightedSumBackward(y, xs, ms, ss,
                TermWeights.stored(values, new int[]{1}, backend.allocate(6)), dxs, false));
        rejects("weights.grads must not share a buffer with weights.values", () -> k.bnWeightedSumBackward(y, xs, ms, ss,
                TermWeights.stored(grads, new int[]{1}, grads), dxs, false));
        rejects("xs must not be null", () -> k.bnWeightedSum(null, ms, ss, w, y, false));
    }

    private static void rejects(String messagePart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, "expected rejection: " + messagePart);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    }
}
