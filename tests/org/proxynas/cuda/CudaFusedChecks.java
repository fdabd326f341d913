package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.cuda.FusedComparison.Arg;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fused kernels of cuda/fused.cu against the CPU reference, which runs the unfused chain of CPU kernels they
 * replace (CpuFused): the same random inputs on both backends, every tensor compared afterwards (inputs too, so a
 * kernel that writes where it must not is caught). Cases: odd sizes, pixels spanning several tiles and images,
 * enough pixels for several blocks of tiles and several filter-gradient chunks, stride 1 and 2, dilation 1 and 2,
 * kernel 3 and 5, channel counts that are no multiple of a warp, Cout != C, both accumulate modes; parameter
 * gradients and running statistics start from random values (they accumulate). The accumulate and running-statistics
 * modes alternate over the (geometry, shape) grid, so each geometry and each shape meets both (the emulation starts
 * threads per launch: the full product would double the run time for no new path).
 *
 * <p>Inputs are N(0, 1). Tolerances, |cuda - cpu| <= atol + rtol * |cpu|:
 * <ul>
 *   <li>y and dx: <b>1e-5 relative + 2e-5 absolute</b>. Each element is a sum of at most C*k*k = 125 products of
 *       unit-size values (pointwise over depthwise outputs, or the transposed chain), both sides in fp32 but in
 *       different orders and the kernel with fused multiply-adds: each side is off by a few ulps of partial sums of
 *       size ~sqrt(125) ~ 11 (ulp 1e-6), so differences of a few 1e-6, rarely 1e-5.</li>
 *   <li>saveMean, saveInvStd and the running statistics: <b>1e-5 relative + 1e-5 absolute</b>: double sums of the
 *       outputs on both sides (the CPU two-pass, the kernel sum and sum of squares of fp32 values, exact in double),
 *       so they inherit the y differences averaged over the batch, and a rounding of the statistic.</li>
 *   <li>dpw and ddw: <b>1e-5 relative + 1e-4 absolute</b>: sums over every output pixel (up to 8448 here) of
 *       products; the CPU adds fp32 partials, the kernels fp32 over a block's few hundred products then double,
 *       so the difference is the CPU's own rounding error ~ sqrt(terms) * ulp(|partial|) ~ 1e-5 to 5e-5
 *       (the absolute part covers sums that cancel to near zero), as in EmulatedConvConformanceTest.</li>
 *   <li>bnWeightedSum's y: <b>1e-6 relative + 2e-6 absolute</b>. The kernel folds weight and statistics into one
 *       multiply-add per term (a = w * invStd, a * x - a * mean), the chain normalises then weights: each term
 *       differs by an ulp or two of |a| * max(|x|, |mean|) ~ 3 here (ulp 2.4e-7), a few 1e-7 over up to 11 terms
 *       (observed under emulation: at most 4e-7).</li>
 *   <li>bnWeightedSumBackward's dxs: <b>1e-6 relative + 2e-6 absolute</b>: the batch norm backward's element
 *       formula on both sides, but its coefficients come from double sums taken in another order and of dy rather
 *       than of w * dy, so they may round to neighbouring floats: an ulp or two of the terms (observed: 2.4e-7);
 *       terms without statistics are w * dy on both sides. The weight gradients: <b>1e-6 relative + 1e-4 absolute</b>: double sums over up to
 *       16800 products, the chain's of dy times the rounded fp32 xhat, the kernel's of dy * (x - mean) scaled
 *       once, so they differ by the xhat roundings, ~ sqrt(16800) * 6e-8 * |dy * xhat| ~ 1e-5.</li>
 * </ul>
 */
abstract class CudaFusedChecks extends CudaAgainstCpu {
    /** Depthwise geometries of the DARTS ops: sep 3x3/5x5 (dilation 1) and dil 3x3/5x5 (dilation 2), stride 1 and 2. */
    static final ConvGeom[] GEOMS = {
            new ConvGeom(3, 1, 1, 1), new ConvGeom(3, 2, 1, 1), new ConvGeom(5, 1, 2, 1), new ConvGeom(5, 2, 2, 1),
            new ConvGeom(3, 1, 2, 2), new ConvGeom(3, 2, 2, 2), new ConvGeom(5, 1, 4, 2), new ConvGeom(5, 2, 4, 2)};
    /** {N, C, H, W, Cout}: one tile, several tiles across images, Cout > C, and C = 1. */
    static final int[][] SHAPES = {{2, 5, 7, 9, 6}, {3, 3, 9, 11, 3}, {1, 1, 6, 5, 2}};
    /** {channels, stride} of the sep/dil convs at the DARTS width C = 36: normal cells at 36, 72, 144, reductions. */
    static final int[][] DARTS_WIDTHS = {{36, 1}, {72, 2}, {72, 1}, {144, 2}, {144, 1}};
    /** Enough pixels for several filter-gradient chunks (stride 1: 8448 > 2 * 4096) and backward blocks of 2 tiles. */
    static final int[] LARGE = {2, 3, 66, 64, 4};

    /** The shared harness on this class's backends. */
    FusedComparison fused() { return new FusedComparison(cuda, cpu); }

    @Test
    void reluDwPwForwardMatchesUnfusedChain() {
        for (int gi = 0; gi < GEOMS.length; gi++) {
            for (int si = 0; si < SHAPES.length; si++) fused().reluDwPwForward(SHAPES[si], GEOMS[gi], (gi + si) % 2 == 0);
        }
        fused().reluDwPwForward(LARGE, GEOMS[0], true);
        fused().reluDwPwForward(LARGE, GEOMS[7], true);
    }

    /**
     * Issue 12 item 4: the fused sep/dil conv kernels at every shape the DARTS width (C = 36) gives them in the
     * supernet (which doubles the channels at each of two reduction cells; the evaluation network's affine convs run
     * the unfused chain): 36, 72 and 144 channels; a reduction cell's ops at stride 2 on its own width, its second ReLU-dw-pw-BN and the
     * normal cells' at stride 1; each of the four op geometries (sep/dil, 3x3/5x5). The 144-channel backward keeps
     * 4 (C^2 + 65 C) = 120,384 bytes in shared memory, above the 48 KiB default: the kernel opts in to more, which an
     * A100 or H100 allows (and the emulation, as an H100); a device that does not runs the unfused chain there
     * ({@link CudaFusedFallbackChecks} asserts which path runs). Batch 1 of 5x5 maps (every channel count is what
     * matters here; tiling and chunking have the cases above). Same tolerances. Covered: these kernels against the
     * CPU chain. Not covered here: a whole C = 36 supernet step ({@link EmulatedDartsWidthSuperNetTest}, minutes);
     * CudaFusedSuperNetChecks runs the wiring at C = 2.
     */
    @Test
    void reluDwPwAtTheDartsWidths() {
        int i = 0;
        for (int[] ws : DARTS_WIDTHS) {
            for (ConvGeom g : GEOMS) {
                if (g.stride() != ws[1]) continue;
                int[] shape = {1, ws[0], 5, 5, ws[0]};
                fused().reluDwPwForward(shape, g, i % 2 == 0);
                fused().reluDwPwBackward(shape, g, i % 2 == 1);
                i++;
            }
        }
        assertEquals(20, i, "5 widths and strides x 4 op geometries");
    }

    @Test
    void reluDwPwBackwardMatchesUnfusedChain() {
        for (int gi = 0; gi < GEOMS.length; gi++) {
            for (int si = 0; si < SHAPES.length; si++) fused().reluDwPwBackward(SHAPES[si], GEOMS[gi], (gi + si) % 2 == 1);
        }
        fused().reluDwPwBackward(LARGE, GEOMS[0], true);
        fused().reluDwPwBackward(LARGE, GEOMS[7], false);
    }

    // ---- batch norm folded into the node sum ----------------------------------------------------------------------

    /** The compared tensors of a node-sum call: out, then per term x, mean, invStd (null every third term), dx. */
    private static Arg[] bnArgs(int[] shape, int terms, boolean withDx, double rtol, double atol) {
        int c = shape.length > 1 ? shape[1] : 1;
        Arg[] args = new Arg[1 + 4 * terms];
        args[0] = new Arg(shape, withDx ? 0 : rtol, withDx ? 0 : atol);
        for (int t = 0; t < terms; t++) {
            boolean normalised = t % 3 != 2;
            args[1 + t] = Arg.of(0, 0, shape);
            args[1 + terms + t] = normalised ? Arg.of(0, 0, c) : Arg.none();
            args[1 + 2 * terms + t] = normalised ? Arg.of(0, 0, c) : Arg.none();
            args[1 + 3 * terms + t] = withDx && t != 1 ? new Arg(shape, rtol, atol) : Arg.none();  // term 1: no dx wanted
        }
        return args;
    }

    private static float[] weights(int terms) {
        float[] w = new float[terms];
        for (int t = 0; t < terms; t++) w[t] = 0.9f - 0.13f * t;  // some negative: the kernels must not assume a sign
        return w;
    }

    private static Tensor[] slice(Tensor[] t, int from, int count) { return Arrays.copyOfRange(t, from, from + count); }

    /** {N, C, H, W} or {N, F}: odd planes, a plane of 1, rank 2, and enough values per channel for 3 chunks. */
    static final int[][] BN_SHAPES = {{2, 5, 7, 9}, {3, 4, 1, 1}, {6, 5}, {2, 3, 60, 70}};

    @Test
    void bnWeightedSumMatchesUnfusedChain() {
        for (int[] shape : BN_SHAPES) {
            for (int terms : new int[]{1, 3, 11}) {
                if (shape[1] == 3 && terms == 11) continue;  // the large shape once per term count is enough
                for (boolean acc : new boolean[]{false, true}) {
                    TermWeights w = TermWeights.of(weights(terms));
                    fused().compare("bnWeightedSum " + Arrays.toString(shape) + " terms=" + terms + " acc=" + acc,
                            bnArgs(shape, terms, false, 1e-6, 2e-6), (kk, t) -> kk.bnWeightedSum(slice(t, 1, terms),
                                    slice(t, 1 + terms, terms), slice(t, 1 + 2 * terms, terms), w, t[0], acc));
                }
            }
        }
        // y may be one of the inputs (a term without statistics)
        fused().compare("bnWeightedSum aliased", bnArgs(new int[]{2, 3, 5, 5}, 3, false, 1e-6, 2e-6), (kk, t) ->
                kk.bnWeightedSum(new Tensor[]{t[1], t[2], t[0]}, slice(t, 4, 3), slice(t, 7, 3), TermWeights.of(weights(3)), t[0], true));
        // stored weights: read from a tensor at their indices when the kernel runs
        fused().compare("bnWeightedSum stored weights", bnArgs(new int[]{2, 5, 7, 9}, 3, false, 1e-6, 2e-6), (kk, t) ->
                kk.bnWeightedSum(slice(t, 1, 3), slice(t, 4, 3), slice(t, 7, 3), stored(t[0].backend(), weights(3), null), t[0], false));
    }

    /**
     * w as stored weights, kept in reverse order in their tensor (term t at index terms - 1 - t, so a wrong index
     * shows), with a gradient accumulator starting at 0.25 each when grads is not null (grads[0] receives it).
     */
    private static TermWeights stored(Backend b, float[] w, Tensor[] grads) {
        int terms = w.length;
        float[] values = new float[terms], start = new float[2 * terms];
        int[] index = new int[terms];
        for (int t = 0; t < terms; t++) {
            index[t] = terms - 1 - t;
            values[index[t]] = w[t];
            DoublePairs.set(start, t, 0.25);
        }
        Tensor g = grads == null ? null : b.fromHost(start, 2 * terms);
        if (grads != null) grads[0] = g;
        return TermWeights.stored(b.fromHost(values, terms), index, g);
    }

    @Test
    void bnWeightedSumBackwardMatchesUnfusedChain() {
        for (int[] shape : BN_SHAPES) {
            for (int terms : new int[]{1, 3, 11}) {
                if (shape[1] == 3 && terms == 11) continue;
                for (boolean acc : new boolean[]{false, true}) {
                    float[] w = weights(terms);
                    double[][] grads = new double[2][];  // [0] cpu, [1] cuda (the harness runs the CPU first)
                    String what = "bnWeightedSumBackward " + Arrays.toString(shape) + " terms=" + terms + " acc=" + acc;
                    fused().compare(what, bnArgs(shape, terms, true, 1e-6, 2e-6), (kk, t) -> {
                        Tensor[] g = new Tensor[1];
                        kk.bnWeightedSumBackward(t[0], slice(t, 1, terms), slice(t, 1 + terms, terms),
                                slice(t, 1 + 2 * terms, terms), stored(t[0].backend(), w, g), slice(t, 1 + 3 * terms, terms), acc);
                        grads[grads[0] == null ? 0 : 1] = DoublePairs.decode(g[0].toHost());
                    });
                    for (int i = 0; i < terms; i++) {
                        // slot terms - 1 - i holds term i's gradient; on both sides added to 0.25
                        double e = grads[0][terms - 1 - i], a = grads[1][terms - 1 - i];
                        if (!(Math.abs(a - e) <= 1e-4 + 1e-6 * Math.abs(e))) {
                            fail(what + " weight gradient " + i + ": cpu " + e + ", cuda " + a);
                        }
                    }
                }
            }
        }
        // no weight gradients wanted
        fused().compare("bnWeightedSumBackward without weight gradients", bnArgs(new int[]{2, 5, 3, 3}, 3, true, 1e-6, 2e-6),
                (kk, t) -> kk.bnWeightedSumBackward(t[0], slice(t, 1, 3), slice(t, 4, 3), slice(t, 7, 3), TermWeights.of(weights(3)),
                        slice(t, 10, 3), false));
    }

}
