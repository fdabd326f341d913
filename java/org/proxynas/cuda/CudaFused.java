package org.proxynas.cuda;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.FusedChecks;
import org.proxynas.tensor.FusedKernels;
import org.proxynas.tensor.ReluDwPwChain;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import static org.proxynas.cuda.Launches.flag;

/**
 * The fused kernels on CUDA (cuda/fused.cu), as {@code CpuFused} on the CPU: the ReLU-depthwise-pointwise sep-conv
 * chain with its batch-norm statistics, and the batch-norm-folded node sums. The supernet step runs them inside a
 * CUDA graph capture, so they allocate and upload nothing in steady state: their scratch is kept per role and size
 * class ({@link DeviceScratch}) and their term tables are cached on the device by content ({@link DeviceTables}).
 *
 * <p>Beyond the shared argument checks, two device limits: a sep-conv chain keeps a tile of every channel in shared
 * memory, and a node sum its term table. A sep-conv chain above what the device lets a block have (a device or
 * driver without the opt-in above 48 KiB, or a very wide cell) runs the unfused chain of this backend's kernels
 * instead, as the CPU does; a node sum whose table needs more than a block gets without the opt-in (48 KiB: over
 * 1,365 terms) is refused with the sizes.
 */
final class CudaFused implements FusedKernels {
    /** Output pixels per tile of the fused tile kernels (PROXYNAS_FUSED_TILE and _BTILE in cuda/fused.cu). */
    static final int FUSED_TILE = 64, FUSED_BACKWARD_TILE = 32;
    /** Blocks the backward tile kernel is cut into; tiles per block follow from the shape alone (not the device). */
    static final int FUSED_BACKWARD_BLOCKS = 256;
    /** Output pixels per chunk of the depthwise filter gradient's split reduction. */
    static final int FUSED_FILTER_CHUNK = 4096;
    /** Floats per term of the node-sum term table (PROXYNAS_BN_TERM_FLOATS in cuda/fused.cu) and shared bytes per term. */
    static final int BN_TERM_FLOATS = 25, BN_TERM_SHARED_BYTES = 36;
    /** Values per chunk of the node-sum backward's split reduction over (term x channel x chunk). */
    static final int BN_CHUNK = 4096;

    private final Launches l;
    private final CudaBackend backend;
    private final Launcher launcher;

    CudaFused(Launches launches) {
        this.l = launches;
        this.backend = launches.backend();
        this.launcher = launches.launcher();
    }

    /** Dynamic shared memory of relu_dw_pw_forward_f32: per-warp sums of every output channel, a tile of every input. */
    static long forwardSharedBytes(int c, int cout) { return 16L * cout * (FUSED_TILE / 32) + 4L * c * FUSED_TILE; }

    /** Dynamic shared memory of relu_dw_pw_backward_dz_f32: pointwise gradient pairs, z tile (padded), dy tile. */
    static long backwardSharedBytes(int c, int cout) {
        return 4L * ((long) cout * c + (long) c * (FUSED_BACKWARD_TILE + 1) + (long) cout * FUSED_BACKWARD_TILE);
    }

    /**
     * Whether kernel runs with bytes of dynamic shared memory here, opting it in where that is above the 48 KiB
     * default and the device allows it (227 KiB on an H100, 163 KiB on an A100, 99 KiB on sm_86/89). When it does
     * not, the caller runs the unfused chain.
     */
    private boolean fits(String kernel, long bytes) {
        if (bytes > launcher.maxSharedOptIn()) return false;
        if (bytes > Launcher.DEFAULT_SHARED_BYTES) launcher.optInShared(kernel, (int) bytes);
        return true;
    }

    @Override public void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean, Tensor runningVar,
                                          float momentum, float eps, Tensor saveMean, Tensor saveInvStd) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "y", y);
        FusedChecks.statistics(backend, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd);
        int c = s.c(), cout = s.cout();
        long shared = forwardSharedBytes(c, cout);
        if (!fits("relu_dw_pw_forward_f32", shared)) {
            ReluDwPwChain.forward(backend.kernels(), this::chainScratch, x, dw, pw, g, y, runningMean, runningVar, momentum, eps, saveMean,
                    saveInvStd, s);
            return;
        }
        long tiles = (s.pixels() + FUSED_TILE - 1) / FUSED_TILE;
        Launcher.Ptr part = l.scratchDoubles("reluDwPwForward.partial", 2 * cout * tiles);
        l.launch("relu_dw_pw_forward_f32", l.grid(tiles, 1), (int) shared, l.ptr(x), l.ptr(dw), l.ptr(pw), l.ptr(y),
                part, s.n(), c, cout, s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation());
        l.perBlock("bn_statistics_finish_f32", cout, part, tiles, cout, s.pixels(), momentum, eps,
                l.optPtr(runningMean), l.optPtr(runningVar), l.ptr(saveMean), l.ptr(saveInvStd));
    }

    /**
     * Scratch of the fallback ({@link ReluDwPwChain}: the chain the CPU runs, on this backend's unfused kernels, whose
     * launches need no dynamic shared memory, so any channel count runs). Slower: the ReLU and depthwise outputs go
     * through global memory, one tensor per role kept by the launcher (so a step still allocates nothing once warm and
     * captures).
     */
    private Tensor chainScratch(String role, int... shape) { return l.scratchTensor("reluDwPw." + role, shape); }

    @Override public void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw, Tensor dpw,
                                           boolean accumulate) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "dy", dy);
        FusedChecks.reluDwPwGradients(backend, x, dw, pw, dx, ddw, dpw);
        int n = s.n(), c = s.c(), cout = s.cout(), k = g.kernel();
        long shared = backwardSharedBytes(c, cout);
        if (!fits("relu_dw_pw_backward_dz_f32", shared)) {
            ReluDwPwChain.backward(backend.kernels(), this::chainScratch, dy, x, dw, pw, g, dx, ddw, dpw, accumulate, s);
            return;
        }
        Object[] geom = {s.h(), s.w(), s.ho(), s.wo(), k, g.stride(), g.padding(), g.dilation()};

        long tiles = (s.pixels() + FUSED_BACKWARD_TILE - 1) / FUSED_BACKWARD_TILE;
        int tilesPerBlock = (int) Math.max(1, (tiles + FUSED_BACKWARD_BLOCKS - 1) / FUSED_BACKWARD_BLOCKS);
        long blocks = (tiles + tilesPerBlock - 1) / tilesPerBlock;
        // every element of the scratch below is written before it is read, so it needs no clearing
        Launcher.Ptr dz = new Launcher.Ptr(backend.scratch().take("reluDwPwBackward.dz", 4L * n * c * s.ho() * s.wo()));
        // a null dpw passes a null partials pointer: the kernel then skips the recomputed depthwise output it needs only for dpw
        Launcher.Ptr dpwPart = dpw == null ? new Launcher.Ptr(0) : l.scratchDoubles("reluDwPwBackward.dpwPartial", (long) cout * c * blocks);
        l.launch("relu_dw_pw_backward_dz_f32", l.grid(blocks, 1), (int) shared,
                concat(new Object[]{l.ptr(x), l.ptr(dw), l.ptr(pw), l.ptr(dy), dz, dpwPart, n, c, cout},
                        geom, new Object[]{tilesPerBlock, blocks}));
        if (dpw != null) l.perThread("partials_add_f32", (long) cout * c, dpwPart, l.ptr(dpw), (long) cout * c, blocks);

        if (ddw != null) depthwiseFilterGradient(x, dz, ddw, s, k, geom);

        l.perThread("relu_dw_backward_data_f32", x.size(), concat(new Object[]{l.ptr(x), dz, l.ptr(dw), l.ptr(dx),
                (long) n * c, c}, geom, new Object[]{flag(accumulate)}));
    }

    /** ddw += the depthwise filter gradient from the relu of x and dz: per-chunk partials in double, then their sum. */
    private void depthwiseFilterGradient(Tensor x, Launcher.Ptr dz, Tensor ddw, FusedChecks.ReluDwPw s, int k, Object[] geom) {
        int chunks = (int) ((s.pixels() + FUSED_FILTER_CHUNK - 1) / FUSED_FILTER_CHUNK);
        long taps = (long) s.c() * k * k;
        Launcher.Ptr ddwPart = l.scratchDoubles("reluDwPwBackward.ddwPartial", taps * chunks);
        l.perBlock("relu_dw_backward_filter_partial_f32", taps * chunks, concat(new Object[]{l.ptr(x), dz, ddwPart,
                s.n(), s.c()}, geom, new Object[]{chunks, (long) FUSED_FILTER_CHUNK}));
        l.perThread("partials_add_f32", taps, ddwPart, l.ptr(ddw), taps, (long) chunks);
    }

    /**
     * The term table of cuda/fused.cu's node-sum kernels, on the device: per term the addresses of x, mean, invStd and
     * dx (0 for none) as four 16-bit pieces each (every piece exact in a float, whatever the bit pattern), the weight,
     * and for stored weights the addresses of the weight and (withGrads) of its gradient's double instead. Uploaded
     * only the first time these exact contents are seen ({@link DeviceTables}): a step that runs again on the same
     * workspace buffers and weights reads its tables from the cache, and can be graph-captured. A stored weight's
     * value is not in the table, so writing new weights to their tensor leaves the table (and a graph) as it is.
     */
    private Launcher.Ptr bnTermTable(Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor[] dxs,
                                     boolean withGrads) {
        float[] table = new float[Math.max(1, BN_TERM_FLOATS * xs.length)];
        for (int t = 0; t < xs.length; t++) {
            int at = BN_TERM_FLOATS * t;
            putAddress(table, at, backend.address(xs[t]));
            putAddress(table, at + 4, means[t] == null ? 0 : backend.address(means[t]));
            putAddress(table, at + 8, invStds[t] == null ? 0 : backend.address(invStds[t]));
            putAddress(table, at + 12, dxs == null || dxs[t] == null ? 0 : backend.address(dxs[t]));
            switch (weights) {
                case TermWeights.Fixed f -> table[at + 16] = f.values()[t];
                case TermWeights.Stored s -> {
                    putAddress(table, at + 17, backend.address(s.values()) + 4L * s.index()[t]);
                    if (withGrads) putAddress(table, at + 21, backend.address(s.grads()) + 8L * s.index()[t]);
                }
            }
        }
        return new Launcher.Ptr(backend.tables().address(table));
    }

    private static void putAddress(float[] table, int at, long address) {
        for (int piece = 0; piece < 4; piece++) table[at + piece] = (address >>> (16 * piece)) & 0xFFFF;
    }

    /** Dynamic shared memory of a node-sum launch: the decoded term table, within what a block gets without opt-in. */
    private int bnShared(int terms) {
        long bytes = (long) BN_TERM_SHARED_BYTES * terms;
        long limit = Math.min(Launcher.DEFAULT_SHARED_BYTES, launcher.maxSharedOptIn());
        if (bytes > limit) {
            throw new IllegalArgumentException("xs: a node sum of " + terms + " terms needs " + bytes
                    + " bytes of shared memory for its term table, more than the " + limit + " a block gets here");
        }
        return (int) bytes;
    }

    @Override public void bnWeightedSum(Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor y, boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "y", y);
        int terms = xs.length, shared = bnShared(terms);
        Launcher.Ptr table = bnTermTable(xs, means, invStds, weights, null, false);
        l.launch("bn_weighted_sum_f32", l.grid(y.size(), l.threads("bn_weighted_sum_f32")), shared, table, terms,
                l.ptr(y), y.size(), y.c(), y.plane(), flag(accumulate));
    }

    @Override public void bnWeightedSumBackward(Tensor dy, Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights, Tensor[] dxs,
                                                boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "dy", dy);
        FusedChecks.bnGradients(backend, xs, dxs, dy);
        int terms = xs.length, c = dy.c(), plane = dy.plane(), shared = bnShared(terms);
        if (terms == 0) return;
        boolean withGrads = weights instanceof TermWeights.Stored s && s.grads() != null;
        long count = (long) dy.n() * plane;
        int chunks = (int) ((count + BN_CHUNK - 1) / BN_CHUNK);
        long items = (long) terms * c * chunks;
        Launcher.Ptr table = bnTermTable(xs, means, invStds, weights, dxs, withGrads);
        // the kernels write every partial, coefficient and gradient they later read, so the scratch needs no clearing
        Launcher.Ptr part = l.scratchDoubles("bnWeightedSumBackward.partial", 2 * items);
        Launcher.Ptr coef = new Launcher.Ptr(backend.scratch().take("bnWeightedSumBackward.coef", 4L * 3 * terms * c));
        Launcher.Ptr grads = l.scratchDoubles("bnWeightedSumBackward.grads", (long) terms * c);
        l.launch("bn_weighted_sum_backward_partial_f32", l.grid(items, 1), shared, table, terms, l.ptr(dy), part,
                dy.n(), c, plane, chunks, (long) BN_CHUNK, flag(withGrads));
        l.launch("bn_weighted_sum_backward_finish_f32",
                l.grid((long) terms * c, l.threads("bn_weighted_sum_backward_finish_f32")), shared, table, terms, part,
                coef, grads, c, count, chunks);
        l.launch("bn_weighted_sum_backward_data_f32", l.grid(dy.size(), l.threads("bn_weighted_sum_backward_data_f32")),
                shared, table, terms, coef, l.ptr(dy), dy.size(), c, plane, flag(accumulate));
        // the weight gradients stay on the device (added to the accumulator the table names): nothing is read back
        if (withGrads) l.perThread("bn_weight_grads_add_f64", terms, table, terms, grads, c);
    }

    private static Object[] concat(Object[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray();
    }
}
