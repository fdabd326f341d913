package org.proxynas.cuda;

import org.proxynas.tensor.KernelChecks;
import org.proxynas.tensor.DenseChecks;
import org.proxynas.tensor.SpatialChecks;
import org.proxynas.tensor.AugmentPlan;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.FusedChecks;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

/**
 * The kernel interface on CUDA. Implemented: the elementwise family ({@code relu}, {@code reluBackward},
 * {@code sigmoid}, {@code sigmoidBackward}, {@code fill}, {@code axpy}, {@code scale}, {@code mul}; kernels in
 * cuda/elementwise.cu), the pools ({@code maxPool*}, {@code avgPool*}, {@code globalAvgPool*}; cuda/pool.cu),
 * the depthwise, pointwise and dense convolutions ({@code depthwiseConv*}, {@code pointwiseConv*}, {@code conv*};
 * cuda/conv.cu), batch norm ({@code batchNorm*}; cuda/norm.cu), channels ({@code copyChannels}, {@code weightedSum}, {@code scaleSamples};
 * cuda/channels.cu), losses and reductions ({@code softmaxCrossEntropy}, {@code mseLoss}, {@code bceLoss},
 * {@code dot}, {@code sumSquares}; cuda/loss.cu), optimisers ({@code sgdStep}, {@code adamStep}; cuda/optim.cu) and
 * the dense family ({@code linear*}, {@code batchedMatMul}, {@code lstmCell*}, {@code dropout}; cuda/dense.cu), and
 * augmentation ({@code augment}; cuda/augment.cu), and the fused kernels ({@code reluDwPw*},
 * {@code bnWeightedSum*}; cuda/fused.cu): every method of the interface. Each family's conformance suite
 * runs under emulation against the CPU backend.
 *
 * <p>Argument checks are the CPU reference's ({@link Checks} and {@link org.proxynas.tensor.SpatialChecks}), made
 * on the host before a launch. Every kernel runs at the block size its {@code __launch_bounds__} declares (read from
 * the kernel ABI table, {@link KernelAbi}); elementwise kernels loop grid-stride, the grid capped by
 * {@link Launcher#maxGridX()}. Results are bit-identical to the CPU backend except sigmoid (1e-6
 * absolute); the spatial families state their tolerances in their emulated conformance tests.
 *
 * <p>The fused kernels, which the supernet step runs inside a CUDA graph capture, allocate and upload nothing in
 * steady state: their scratch is kept per role and size class ({@link DeviceScratch}) and their term tables are
 * cached on the device by content ({@link DeviceTables}).
 */
final class CudaKernels implements Kernels {
    private final CudaBackend backend;
    private final Launcher launcher;

    CudaKernels(CudaBackend backend, Launcher launcher) {
        this.backend = backend;
        this.launcher = launcher;
    }

    private Launcher.Ptr ptr(Tensor t) { return new Launcher.Ptr(backend.address(t)); }

    /** Launches kernel on gridX blocks of its declared block size (its launch bounds, from the kernel ABI table). */
    private void launch(String kernel, int gridX, int sharedBytes, Object... args) {
        launcher.launch(kernel, gridX, launcher.abi().threads(kernel), sharedBytes, args);
    }

    /** Blocks for one thread per item over n items at kernel's block size, capped by the launcher's grid. */
    private int gridFor(String kernel, long n) {
        long threads = launcher.abi().threads(kernel);
        return (int) Math.max(1, Math.min(launcher.maxGridX(), (n + threads - 1) / threads));
    }

    /** Launches an elementwise kernel over n elements; the trailing argument list already holds n where needed. */
    private void elementwise(String kernel, long n, Object... args) {
        launch(kernel, gridFor(kernel, n), 0, args);
    }

    private static int flag(boolean b) { return b ? 1 : 0; }

    // ---- elementwise: implemented ---------------------------------------------------------------------------

    /** y = f(x) elementwise (kernel's arguments: x, y, n). */
    private void map(String kernel, Tensor x, Tensor y) {
        Checks.notNull("x", x);
        Checks.sameShape("y", y, "x", x);
        elementwise(kernel, x.size(), ptr(x), ptr(y), x.size());
    }

    /** dx (+)= dy * f'(from the output y), elementwise (kernel's arguments: y, dy, dx, n, accumulate). */
    private void mapBackward(String kernel, Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        Checks.notNull("y", y);
        Checks.sameShape("dy", dy, "y", y);
        Checks.sameShape("dx", dx, "y", y);
        elementwise(kernel, y.size(), ptr(y), ptr(dy), ptr(dx), y.size(), flag(accumulate));
    }

    @Override
    public void relu(Tensor x, Tensor y) { map("relu_f32", x, y); }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        mapBackward("relu_backward_f32", y, dy, dx, accumulate);
    }

    @Override
    public void sigmoid(Tensor x, Tensor y) { map("sigmoid_f32", x, y); }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx, boolean accumulate) {
        mapBackward("sigmoid_backward_f32", y, dy, dx, accumulate);
    }

    @Override
    public void fill(Tensor t, float value) {
        Checks.notNull("t", t);
        elementwise("fill_f32", t.size(), ptr(t), value, t.size());
    }

    @Override
    public void axpy(float a, Tensor x, Tensor y) {
        Checks.notNull("x", x);
        Checks.sameShape("y", y, "x", x);
        elementwise("axpy_f32", x.size(), a, ptr(x), ptr(y), x.size());
    }

    @Override
    public void scale(Tensor x, float a) {
        Checks.notNull("x", x);
        elementwise("scale_f32", x.size(), ptr(x), a, x.size());
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor y, boolean accumulate) {
        Checks.notNull("a", a);
        Checks.sameShape("b", b, "a", a);
        Checks.sameShape("y", y, "a", a);
        elementwise("mul_f32", a.size(), ptr(a), ptr(b), ptr(y), a.size(), flag(accumulate));
    }

    // ---- pools: implemented (cuda/pool.cu) -------------------------------------------------------------------

    /** Launches a grid-stride kernel of the pool, conv and norm families over n items, one thread per item. */
    private void spatial(String kernel, long n, Object... args) { elementwise(kernel, n, args); }

    /** Checked shapes of one pooling call: count planes of h x w in, ho x wo out. */
    private record Planes(int count, int h, int w, int ho, int wo) {}

    private Planes poolCheck(String inName, Tensor in, String outName, Tensor out, ConvGeom g) {
        SpatialChecks.geometry(g);
        SpatialChecks.image(backend, inName, in);
        int ho = SpatialChecks.outSize(inName, in.h(), g), wo = SpatialChecks.outSize(inName, in.w(), g);
        SpatialChecks.image(backend, outName, out, in.n(), in.c(), ho, wo);
        return new Planes(in.n() * in.c(), in.h(), in.w(), ho, wo);
    }

    @Override
    public void maxPoolForward(Tensor x, Tensor y, ConvGeom g) {
        Planes p = poolCheck("x", x, "y", y, g);
        spatial("maxpool_forward_f32", (long) p.count() * p.ho() * p.wo(), ptr(x), ptr(y), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) {
        Planes p = poolCheck("x", x, "dy", dy, g);
        SpatialChecks.on(backend, "dx", dx);
        Checks.sameShape("dx", dx, "x", x);
        // the CPU's stride-1 path sums a window's gradient before adding it to dx; the others add term by term
        spatial("maxpool_backward_f32", (long) p.count() * p.h() * p.w(), ptr(x), ptr(dy), ptr(dx), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(accumulate),
                flag(g.stride() == 1));
    }

    @Override
    public void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) {
        Planes p = poolCheck("x", x, "y", y, g);
        spatial("avgpool_forward_f32", (long) p.count() * p.ho() * p.wo(), ptr(x), ptr(y), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(countIncludePad));
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) {
        Planes p = poolCheck("dx", dx, "dy", dy, g);
        spatial("avgpool_backward_f32", (long) p.count() * p.h() * p.w(), ptr(dy), ptr(dx), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(countIncludePad),
                flag(accumulate));
    }

    @Override
    public void globalAvgPoolForward(Tensor x, Tensor y) {
        SpatialChecks.image(backend, "x", x);
        SpatialChecks.image(backend, "y", y, x.n(), x.c(), 1, 1);
        long planes = (long) x.n() * x.c();
        int grid = (int) Math.max(1, Math.min(launcher.maxGridX(), planes));
        launch("global_avgpool_forward_f32", grid, 0, ptr(x), ptr(y), planes, x.plane());
    }

    @Override
    public void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) {
        SpatialChecks.image(backend, "dx", dx);
        SpatialChecks.image(backend, "dy", dy, dx.n(), dx.c(), 1, 1);
        long planes = (long) dx.n() * dx.c();
        spatial("global_avgpool_backward_f32", planes * dx.plane(), ptr(dy), ptr(dx), planes, dx.plane(), flag(accumulate));
    }

    // ---- depthwise and pointwise convolutions: implemented (cuda/conv.cu) -----------------------------------

    /** One block per reduced element, grid-stride over count elements. */
    private void reduce(String kernel, long count, Object... args) {
        launch(kernel, (int) Math.max(1, Math.min(launcher.maxGridX(), count)), 0, args);
    }

    /** Checked shapes of a depthwise conv call (CpuConv's check): in [n,c,h,w], w [c,1,k,k], out [n,c,ho,wo]. */
    private record DwShape(int n, int c, int h, int w, int ho, int wo) {}

    private DwShape dwCheck(String inName, Tensor in, String wName, Tensor w, String outName, Tensor out, ConvGeom g) {
        SpatialChecks.geometry(g);
        SpatialChecks.image(backend, inName, in);
        int k = g.kernel();
        int ho = SpatialChecks.outSize(inName, in.h(), g), wo = SpatialChecks.outSize(inName, in.w(), g);
        SpatialChecks.on(backend, wName, w);
        Checks.shape(wName, w, in.c(), 1, k, k);
        SpatialChecks.image(backend, outName, out, in.n(), in.c(), ho, wo);
        return new DwShape(in.n(), in.c(), in.h(), in.w(), ho, wo);
    }

    @Override
    public void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        DwShape s = dwCheck("x", x, "w", w, "y", y, g);
        long planes = (long) s.n() * s.c();
        spatial("dwconv_forward_f32", planes * s.ho() * s.wo(), ptr(x), ptr(w), ptr(y), planes, s.c(), s.h(), s.w(),
                s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    @Override
    public void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        DwShape s = dwCheck("dx", dx, "w", w, "dy", dy, g);
        long planes = (long) s.n() * s.c();
        spatial("dwconv_backward_data_f32", planes * s.h() * s.w(), ptr(dy), ptr(w), ptr(dx), planes, s.c(), s.h(),
                s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(accumulate));
    }

    @Override
    public void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        DwShape s = dwCheck("x", x, "dw", dw, "dy", dy, g);
        reduce("dwconv_backward_filter_f32", (long) s.c() * g.kernel() * g.kernel(), ptr(x), ptr(dy), ptr(dw), s.n(),
                s.c(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }


    @Override
    public void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) {
        SpatialChecks.Pointwise s = SpatialChecks.pointwiseForward(backend, x, w, y, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        spatial("pwconv_forward_f32", (long) n * cout * ho * wo, ptr(x), ptr(w), ptr(y), n, cin, cout, h, wd, ho, wo,
                stride, offset);
    }

    @Override
    public void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) {
        SpatialChecks.Pointwise s = SpatialChecks.pointwiseBackwardData(backend, dy, w, dx, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        spatial("pwconv_backward_data_f32", (long) n * cin * h * wd, ptr(dy), ptr(w), ptr(dx), n, cin, cout, h, wd, ho,
                wo, stride, offset, flag(accumulate));
    }

    @Override
    public void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        SpatialChecks.Pointwise s = SpatialChecks.pointwiseBackwardWeight(backend, x, dy, dw, stride, offset);
        int n = s.n(), cin = s.cin(), cout = s.cout(), h = s.h(), wd = s.w(), ho = s.ho(), wo = s.wo();
        reduce("pwconv_backward_weight_f32", (long) cout * cin, ptr(x), ptr(dy), ptr(dw), n, cin, cout, h, wd, ho, wo,
                stride, offset);
    }

    // ---- batch norm: implemented (cuda/norm.cu) -------------------------------------------------------------

    /** A device pointer, or the null pointer for a null (optional) tensor. */
    private Launcher.Ptr optPtr(Tensor t) { return t == null ? new Launcher.Ptr(0) : ptr(t); }

    private void sameShapeOn(String name, Tensor t, String otherName, Tensor other) {
        SpatialChecks.sameShapeOn(backend, name, t, otherName, other);
    }

    @Override
    public void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                      float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        SpatialChecks.batchNormTrain(backend, x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
        int c = x.c();
        reduce("batchnorm_train_forward_f32", c, ptr(x), optPtr(gamma), optPtr(beta), optPtr(runningMean),
                optPtr(runningVar), momentum, eps, ptr(y), ptr(saveMean), ptr(saveInvStd), x.n(), c, x.plane());
    }

    @Override
    public void batchNormEvalForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                     float eps, Tensor y) {
        SpatialChecks.image(backend, "x", x);
        int c = x.c();
        SpatialChecks.optionalVector(backend, "gamma", gamma, c);
        SpatialChecks.optionalVector(backend, "beta", beta, c);
        SpatialChecks.vector(backend, "runningMean", runningMean, c);
        SpatialChecks.vector(backend, "runningVar", runningVar, c);
        Checks.positive("eps", eps);
        sameShapeOn("y", y, "x", x);
        spatial("batchnorm_eval_forward_f32", x.size(), ptr(x), optPtr(gamma), optPtr(beta), ptr(runningMean),
                ptr(runningVar), eps, ptr(y), x.size(), c, x.plane());
    }

    @Override
    public void batchNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dgamma, Tensor dbeta, boolean accumulate) {
        SpatialChecks.image(backend, "x", x);
        int c = x.c();
        sameShapeOn("dy", dy, "x", x);
        SpatialChecks.optionalVector(backend, "gamma", gamma, c);
        SpatialChecks.vector(backend, "saveMean", saveMean, c);
        SpatialChecks.vector(backend, "saveInvStd", saveInvStd, c);
        sameShapeOn("dx", dx, "x", x);
        if (gamma == null && (dgamma != null || dbeta != null)) {
            throw new IllegalArgumentException((dgamma != null ? "dgamma" : "dbeta")
                    + " must be null when gamma is null (affine-free batch norm has no parameters)");
        }
        SpatialChecks.optionalVector(backend, "dgamma", dgamma, c);
        SpatialChecks.optionalVector(backend, "dbeta", dbeta, c);
        reduce("batchnorm_backward_f32", c, ptr(dy), ptr(x), optPtr(gamma), ptr(saveMean), ptr(saveInvStd), ptr(dx),
                optPtr(dgamma), optPtr(dbeta), flag(accumulate), x.n(), c, x.plane());
    }

    @Override
    public void batchNormEvalBackward(Tensor dy, Tensor gamma, Tensor runningVar, float eps, Tensor dx, boolean accumulate) {
        SpatialChecks.image(backend, "dy", dy);
        int c = dy.c();
        SpatialChecks.optionalVector(backend, "gamma", gamma, c);
        SpatialChecks.vector(backend, "runningVar", runningVar, c);
        Checks.positive("eps", eps);
        sameShapeOn("dx", dx, "dy", dy);
        spatial("batchnorm_eval_backward_f32", dy.size(), ptr(dy), optPtr(gamma), ptr(runningVar), eps, ptr(dx),
                flag(accumulate), dy.size(), c, dy.plane());
    }

    // ---- channels, weighted sums, per-sample scaling: implemented (cuda/channels.cu) ---------------------------

    /** Terms per weighted_sum_f32 launch (PROXYNAS_WSUM_TERMS in cuda/channels.cu). */
    static final int WSUM_TERMS = 8;

    /** A fresh device copy of a small host array (per-call scalars such as per-sample scales). */
    private Tensor upload(float[] values) {
        Tensor t = backend.allocate(values.length);
        backend.copyFromHost(values, t);
        return t;
    }

    @Override
    public void copyChannels(Tensor src, int srcChannel, Tensor dst, int dstChannel, int channels, boolean accumulate) {
        KernelChecks.copyChannels(src, srcChannel, dst, dstChannel, channels);
        if (backend.address(src) == backend.address(dst)) {
            throw new IllegalArgumentException("src and dst must not share a buffer");
        }
        long plane = src.plane(), len = channels * plane;
        elementwise("copy_channels_f32", src.n() * len, ptr(src), ptr(dst), (long) src.n(), len, src.c() * plane,
                srcChannel * plane, dst.c() * plane, dstChannel * plane, flag(accumulate));
    }

    @Override
    public void weightedSum(Tensor[] xs, float[] weights, Tensor y, boolean accumulate) {
        Checks.notNull("xs", xs);
        Checks.notNull("weights", weights);
        Checks.notNull("y", y);
        if (weights.length != xs.length) {
            throw new IllegalArgumentException("weights must have one entry per input (" + xs.length + "), got " + weights.length);
        }
        Tensor[] in = xs.clone();
        for (int k = 0; k < in.length; k++) Checks.sameShape("xs[" + k + "]", in[k], "y", y);
        long yAddress = backend.address(y);
        if (in.length > WSUM_TERMS) {
            // chained launches write y between chunks: a later input that is y must be read from a copy
            Tensor copy = null;
            for (int k = WSUM_TERMS; k < in.length; k++) {
                if (backend.address(in[k]) == yAddress) {
                    if (copy == null) {
                        copy = backend.allocate(y.shape());
                        backend.copy(y, copy);
                    }
                    in[k] = copy;
                }
            }
        }
        boolean acc = accumulate;
        int start = 0;
        do {
            int terms = Math.min(WSUM_TERMS, in.length - start);
            Object[] args = new Object[4 + 2 * WSUM_TERMS];
            args[0] = ptr(y);
            args[1] = y.size();
            args[2] = flag(acc);
            args[3] = terms;
            for (int k = 0; k < WSUM_TERMS; k++) {
                args[4 + k] = k < terms ? ptr(in[start + k]) : new Launcher.Ptr(0);
                args[4 + WSUM_TERMS + k] = k < terms ? weights[start + k] : 0f;
            }
            elementwise("weighted_sum_f32", y.size(), args);
            acc = true;
            start += terms;
        } while (start < in.length);
    }

    @Override
    public void scaleSamples(Tensor x, float[] scales, Tensor y, boolean accumulate) {
        Checks.notNull("x", x);
        Checks.notNull("scales", scales);
        Checks.sameShape("y", y, "x", x);
        int n = x.n();
        if (scales.length != n) {
            throw new IllegalArgumentException("scales must have one entry per sample (" + n + "), got " + scales.length);
        }
        Tensor s = upload(scales);
        elementwise("scale_samples_f32", x.size(), ptr(x), ptr(s), ptr(y), x.size(), x.size() / n, flag(accumulate));
        java.lang.ref.Reference.reachabilityFence(s);  // its pool block must not be reused before the launch is queued
    }

    // ---- losses and reductions: implemented (cuda/loss.cu) ---------------------------------------------------

    /** A device array of count doubles (two floats each) for per-block partials. */
    private Tensor partialBuffer(int count) { return backend.allocate(2 * count); }

    /** The doubles of a partial buffer, read back (a synchronisation point). */
    private static double[] partials(Tensor buffer) { return partials(buffer.toHost()); }

    /** Doubles stored as float pairs (low word first). */
    private static double[] partials(float[] raw) {
        double[] out = new double[raw.length / 2];
        for (int i = 0; i < out.length; i++) {
            long lo = Float.floatToRawIntBits(raw[2 * i]) & 0xFFFFFFFFL, hi = Float.floatToRawIntBits(raw[2 * i + 1]);
            out[i] = Double.longBitsToDouble(hi << 32 | lo);
        }
        return out;
    }

    /** The partials added in block order (as the CPU adds its block partials). */
    private static double sumInOrder(double[] partial) {
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        Checks.notNull("a", a);
        Checks.sameSize("b", b, "a", a);
        int grid = gridFor("dot_partial_f32", a.size());
        Tensor part = partialBuffer(grid);
        launch("dot_partial_f32", grid, 0, ptr(a), ptr(b), ptr(part), a.size());
        return sumInOrder(partials(part));
    }

    @Override
    public double sumSquares(Tensor x) {
        Checks.notNull("x", x);
        int grid = gridFor("dot_partial_f32", x.size());
        Tensor part = partialBuffer(grid);
        launch("dot_partial_f32", grid, 0, ptr(x), ptr(x), ptr(part), x.size());
        return sumInOrder(partials(part));
    }

    @Override
    public LossStats softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, float gradScale) {
        Checks.rank("logits", logits, 2);
        int n = logits.dim(0), k = logits.dim(1);
        Checks.shape("labels", labels, n);
        if (dlogits != null) Checks.sameShape("dlogits", dlogits, "logits", logits);
        float[] ls = labels.toHost();  // validated on the host before anything is written, as the CPU does
        for (int row = 0; row < n; row++) {
            float l = ls[row];
            if (!(l >= 0 && l < k && l == Math.rint(l))) {
                throw new IllegalArgumentException("labels[" + row + "] must be an integer class index in [0, " + k
                        + "), got " + l);
            }
        }
        int grid = gridFor("softmax_xent_f32", n);
        Tensor part = partialBuffer(2 * grid);
        launch("softmax_xent_f32", grid, 0, ptr(logits), ptr(labels), optPtr(dlogits),
                gradScale, ptr(part), n, k);
        double[] p = partials(part);
        double loss = 0, correct = 0;
        for (int b = 0; b < grid; b++) {
            loss += p[2 * b];
            correct += p[2 * b + 1];
        }
        return new LossStats(loss / n, (int) correct, n);
    }

    @Override
    public double mseLoss(Tensor pred, Tensor target, Tensor dpred, float gradScale) {
        Checks.notNull("pred", pred);
        Checks.sameShape("target", target, "pred", pred);
        if (dpred != null) Checks.sameShape("dpred", dpred, "pred", pred);
        long n = pred.size();
        float coef = (float) (2.0 * gradScale / n);
        int grid = gridFor("mse_loss_f32", n);
        Tensor part = partialBuffer(grid);
        launch("mse_loss_f32", grid, 0, ptr(pred), ptr(target), optPtr(dpred), coef,
                ptr(part), n);
        return sumInOrder(partials(part)) / n;
    }

    @Override
    public double bceLoss(Tensor prob, Tensor target, Tensor dprob, float gradScale) {
        Checks.notNull("prob", prob);
        Checks.sameShape("target", target, "prob", prob);
        if (dprob != null) Checks.sameShape("dprob", dprob, "prob", prob);
        float[] ps = prob.toHost();  // validated on the host before anything is written, as the CPU does
        for (int i = 0; i < ps.length; i++) {
            if (!(ps[i] >= 0f && ps[i] <= 1f)) {
                throw new IllegalArgumentException("prob[" + i + "] must be a probability in [0, 1], got " + ps[i]);
            }
        }
        long n = prob.size();
        int grid = gridFor("bce_loss_f32", n);
        Tensor part = partialBuffer(grid);
        launch("bce_loss_f32", grid, 0, ptr(prob), ptr(target), optPtr(dprob), gradScale,
                ptr(part), n);
        return sumInOrder(partials(part)) / n;
    }

    // ---- optimisers: implemented (cuda/optim.cu) -------------------------------------------------------------

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float weightDecay) {
        KernelChecks.sgdStep(param, grad, momentumBuf, lr, momentum, weightDecay);
        elementwise("sgd_step_f32", param.size(), ptr(param), ptr(grad), ptr(momentumBuf), lr, momentum, weightDecay,
                param.size());
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float weightDecay, int step) {
        KernelChecks.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        elementwise("adam_step_f32", param.size(), ptr(param), ptr(grad), ptr(m), ptr(v), stepSize, bias2Sqrt, beta1,
                beta2, 1f - beta1, 1f - beta2, eps, weightDecay, param.size());
    }


    // ---- dense: implemented (cuda/dense.cu) ------------------------------------------------------------------

    /** C (+)= op(A) op(B) per batch entry through matmul_f32 (strides in floats; init 0 zero, 1 C, 2 bias). */
    private void matmul(Tensor a, Tensor b, Tensor c, Tensor bias, int batches, int m, int k, int n, long aBatch,
                        long aRow, long aCol, long bBatch, long bRow, long bCol, int init) {
        elementwise("matmul_f32", (long) batches * m * n, ptr(a), ptr(b), ptr(c), optPtr(bias), batches, m, k, n,
                aBatch, aRow, aCol, bBatch, bRow, bCol, init);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        DenseChecks.Linear s = DenseChecks.linearForward(x, w, b, y);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(x, w, y, b, 1, n, in, out, 0, in, 1, 0, 1, in, b == null ? 0 : 2);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, boolean accumulate) {
        DenseChecks.Linear s = DenseChecks.linearBackwardData(dy, w, dx);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(dy, w, dx, null, 1, n, out, in, 0, out, 1, 0, in, 1, accumulate ? 1 : 0);
    }

    @Override
    public void linearBackwardParams(Tensor x, Tensor dy, Tensor dw, Tensor db) {
        DenseChecks.Linear s = DenseChecks.linearBackwardParams(x, dy, dw, db);
        int n = s.n(), in = s.in(), out = s.out();
        matmul(dy, x, dw, null, 1, out, n, in, 0, 1, out, 0, in, 1, 1);
        if (db != null) elementwise("column_sums_f32", out, ptr(dy), ptr(db), n, out);
    }

    @Override
    public void batchedMatMul(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, boolean accumulate) {
        DenseChecks.MatMul s = DenseChecks.batchedMatMul(a, b, c, transA, transB);
        int batches = s.batches(), m = s.m(), k = s.k(), n = s.n();
        if (backend.address(a) == backend.address(c)) throw new IllegalArgumentException("c must not share a buffer with a");
        Tensor bIn = b;
        if (backend.address(b) == backend.address(c)) {  // the CPU reads b from a copy, so c may be b
            bIn = backend.allocate(b.shape());
            backend.copy(b, bIn);
        }
        matmul(a, bIn, c, null, batches, m, k, n, (long) m * k, transA ? 1 : k, transA ? m : 1, (long) k * n,
                transB ? 1 : n, transB ? k : 1, accumulate ? 1 : 0);
        java.lang.ref.Reference.reachabilityFence(bIn);
    }

    @Override
    public void lstmCellForward(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        DenseChecks.Lstm s = DenseChecks.lstmCellForward(gates, cPrev, act, c, h);
        int n = s.n(), hid = s.hidden(), g4 = 4 * hid;
        elementwise("lstm_cell_forward_f32", (long) n * hid, ptr(gates), ptr(cPrev), ptr(act), ptr(c), ptr(h), n, hid);
    }

    @Override
    public void lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dgates, Tensor dcPrev) {
        DenseChecks.Lstm s = DenseChecks.lstmCellBackward(act, cPrev, c, dh, dcNext, dgates, dcPrev);
        int n = s.n(), hid = s.hidden(), g4 = 4 * hid;
        elementwise("lstm_cell_backward_f32", (long) n * hid, ptr(act), ptr(cPrev), ptr(c), ptr(dh), optPtr(dcNext),
                ptr(dgates), ptr(dcPrev), n, hid);
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        Checks.notNull("x", x);
        Checks.sameShape("y", y, "x", x);
        Checks.sameShape("mask", mask, "x", x);
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("p must be in [0, 1), got " + p);
        elementwise("dropout_f32", x.size(), ptr(x), ptr(y), ptr(mask), p, 1f / (1f - p), seed, x.size());
    }

    // ---- dense convolutions (groups 1): implemented (cuda/conv.cu) ------------------------------------------

    /** Checked shapes of a dense conv call (CpuConv's check): in [n,cin,h,w], w [cout,cin,k,k], out [n,cout,ho,wo]. */
    private record ConvShape(int n, int cin, int h, int w, int cout, int ho, int wo) {}

    private ConvShape convCheck(String inName, Tensor in, String wName, Tensor w, String outName, Tensor out, ConvGeom g) {
        SpatialChecks.geometry(g);
        SpatialChecks.image(backend, inName, in);
        int k = g.kernel();
        int ho = SpatialChecks.outSize(inName, in.h(), g), wo = SpatialChecks.outSize(inName, in.w(), g);
        SpatialChecks.on(backend, wName, w);
        Checks.shape(wName, w, -1, in.c(), k, k);
        int cout = w.dim(0);
        SpatialChecks.image(backend, outName, out, in.n(), cout, ho, wo);
        return new ConvShape(in.n(), in.c(), in.h(), in.w(), cout, ho, wo);
    }

    @Override
    public void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        ConvShape s = convCheck("x", x, "w", w, "y", y, g);
        spatial("conv_forward_f32", (long) s.n() * s.cout() * s.ho() * s.wo(), ptr(x), ptr(w), ptr(y), s.n(), s.cin(),
                s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        ConvShape s = convCheck("dx", dx, "w", w, "dy", dy, g);
        spatial("conv_backward_data_f32", (long) s.n() * s.cin() * s.h() * s.w(), ptr(dy), ptr(w), ptr(dx), s.n(),
                s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(),
                flag(accumulate));
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        ConvShape s = convCheck("x", x, "dw", dw, "dy", dy, g);
        reduce("conv_backward_filter_f32", (long) s.cout() * s.cin() * g.kernel() * g.kernel(), ptr(x), ptr(dy),
                ptr(dw), s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation());
    }

    // ---- augmentation: implemented (cuda/augment.cu) ----------------------------------------------------------

    /** CpuAugment.augment's checks, then one launch; the plan's per-row ints and per-channel scale/shift travel in a small device buffer. */
    @Override
    public void augment(Tensor source, AugmentPlan plan, Tensor out) {
        AugmentPlan.check(backend, source, plan, out);
        int c = source.c(), h = source.h(), w = source.w(), b = plan.batch(), pad = plan.pad(), cut = plan.cutout();
        int[] idx = plan.indices(), cy = plan.cropY(), cx = plan.cropX(), ky = plan.cutY(), kx = plan.cutX();
        boolean[] flip = plan.flip();
        // layout: 6 ints per batch row (as float bit patterns, read as int by the kernel), then scale[c], shift[c]
        float[] buf = new float[6 * b + 2 * c];
        System.arraycopy(plan.scale(), 0, buf, 6 * b, c);
        System.arraycopy(plan.shift(), 0, buf, 6 * b + c, c);
        if (b == 0) return;
        for (int r = 0; r < b; r++) {
            int[] row = {idx[r], cy[r], cx[r], flip[r] ? 1 : 0, ky[r], kx[r]};
            for (int i = 0; i < 6; i++) buf[6 * r + i] = Float.intBitsToFloat(row[i]);
        }
        Tensor dev = upload(buf);
        long base = backend.address(dev);
        elementwise("augment_f32", (long) b * c * h * w, ptr(source), new Launcher.Ptr(base),
                new Launcher.Ptr(base + 4L * 6 * b), ptr(out), b, c, h, w, pad, cut);
        java.lang.ref.Reference.reachabilityFence(dev);  // its pool block must not be reused before the launch is queued
    }

    // ---- fused: cuda/fused.cu -----------------------------------------------------------------------------------

    /** Output pixels per tile of the fused tile kernels (PROXYNAS_FUSED_TILE and _BTILE in cuda/fused.cu). */
    static final int FUSED_TILE = 64, FUSED_BACKWARD_TILE = 32;
    /** Blocks the backward tile kernel is cut into; tiles per block follow from the shape alone (not the device). */
    static final int FUSED_BACKWARD_BLOCKS = 256;
    /** Output pixels per chunk of the depthwise filter gradient's split reduction. */
    static final int FUSED_FILTER_CHUNK = 4096;

    /**
     * Opts kernel in to bytes of dynamic shared memory where that is above the 48 KiB default and the device allows
     * it (227 KiB on an H100, 163 KiB on an A100, 99 KiB on sm_86/89); beyond the device's limit, a clear error.
     */
    private void fusedShared(String method, String kernel, long bytes, FusedChecks.ReluDwPw s) {
        if (bytes <= Launcher.DEFAULT_SHARED_BYTES) return;
        if (bytes > launcher.maxSharedOptIn()) {
            throw new IllegalArgumentException(method + " keeps a tile of every channel in shared memory: C = " + s.c()
                    + ", Cout = " + s.cout() + " need " + bytes + " bytes, more than the " + launcher.maxSharedOptIn()
                    + " this device allows a block; run the unfused kernels for this many channels");
        }
        launcher.optInShared(kernel, (int) bytes);
    }

    @Override
    public void reluDwPwForward(Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor y, Tensor runningMean,
                                Tensor runningVar, float momentum, float eps, Tensor saveMean, Tensor saveInvStd) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "y", y);
        FusedChecks.statistics(backend, y, runningMean, runningVar, momentum, eps, saveMean, saveInvStd);
        int c = s.c(), cout = s.cout();
        long shared = 16L * cout * (FUSED_TILE / 32) + 4L * c * FUSED_TILE;
        fusedShared("reluDwPwForward", "relu_dw_pw_forward_f32", shared, s);
        long tiles = (s.pixels() + FUSED_TILE - 1) / FUSED_TILE;
        Launcher.Ptr part = scratchDoubles("reluDwPwForward.partial", 2 * cout * tiles);
        int grid = (int) Math.min(launcher.maxGridX(), tiles);
        launch("relu_dw_pw_forward_f32", grid, (int) shared, ptr(x), ptr(dw), ptr(pw), ptr(y),
                part, s.n(), c, cout, s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation());
        reduce("bn_statistics_finish_f32", cout, part, tiles, cout, s.pixels(), momentum, eps,
                optPtr(runningMean), optPtr(runningVar), ptr(saveMean), ptr(saveInvStd));
    }

    @Override
    public void reluDwPwBackward(Tensor dy, Tensor x, Tensor dw, Tensor pw, ConvGeom g, Tensor dx, Tensor ddw,
                                 Tensor dpw, boolean accumulate) {
        FusedChecks.ReluDwPw s = FusedChecks.reluDwPw(backend, "x", x, dw, pw, g, "dy", dy);
        FusedChecks.reluDwPwGradients(backend, x, dw, pw, dx, ddw, dpw);
        int n = s.n(), c = s.c(), cout = s.cout(), k = g.kernel();
        long shared = 4L * ((long) cout * c + (long) c * (FUSED_BACKWARD_TILE + 1) + (long) cout * FUSED_BACKWARD_TILE);
        fusedShared("reluDwPwBackward", "relu_dw_pw_backward_dz_f32", shared, s);
        Object[] geom = {s.h(), s.w(), s.ho(), s.wo(), k, g.stride(), g.padding(), g.dilation()};

        long tiles = (s.pixels() + FUSED_BACKWARD_TILE - 1) / FUSED_BACKWARD_TILE;
        int tilesPerBlock = (int) Math.max(1, (tiles + FUSED_BACKWARD_BLOCKS - 1) / FUSED_BACKWARD_BLOCKS);
        long blocks = (tiles + tilesPerBlock - 1) / tilesPerBlock;
        // every element of the scratch below is written before it is read, so it needs no clearing
        Launcher.Ptr dz = new Launcher.Ptr(backend.scratch().take("reluDwPwBackward.dz", 4L * n * c * s.ho() * s.wo()));
        Launcher.Ptr dpwPart = scratchDoubles("reluDwPwBackward.dpwPartial", (long) cout * c * blocks);
        launch("relu_dw_pw_backward_dz_f32", (int) Math.min(launcher.maxGridX(), blocks), (int) shared,
                concat(new Object[]{ptr(x), ptr(dw), ptr(pw), ptr(dy), dz, dpwPart, n, c, cout},
                        geom, new Object[]{tilesPerBlock, blocks}));
        elementwise("partials_add_f32", (long) cout * c, dpwPart, ptr(dpw), (long) cout * c, blocks);

        int chunks = (int) ((s.pixels() + FUSED_FILTER_CHUNK - 1) / FUSED_FILTER_CHUNK);
        long taps = (long) c * k * k;
        Launcher.Ptr ddwPart = scratchDoubles("reluDwPwBackward.ddwPartial", taps * chunks);
        reduce("relu_dw_backward_filter_partial_f32", taps * chunks, concat(new Object[]{ptr(x), dz, ddwPart,
                n, c}, geom, new Object[]{chunks, (long) FUSED_FILTER_CHUNK}));
        elementwise("partials_add_f32", taps, ddwPart, ptr(ddw), taps, (long) chunks);

        elementwise("relu_dw_backward_data_f32", x.size(), concat(new Object[]{ptr(x), dz, ptr(dw), ptr(dx),
                (long) n * c, c}, geom, new Object[]{flag(accumulate)}));
    }

    /** Scratch for count doubles of split-reduction partials, kept per role (see {@link DeviceScratch}). */
    private Launcher.Ptr scratchDoubles(String role, long count) {
        return new Launcher.Ptr(backend.scratch().take(role, 8 * count));
    }

    /** Floats per term of the node-sum term table (PROXYNAS_BN_TERM_FLOATS in cuda/fused.cu) and shared bytes per term. */
    static final int BN_TERM_FLOATS = 17, BN_TERM_SHARED_BYTES = 36;
    /** Values per chunk of the node-sum backward's split reduction over (term x channel x chunk). */
    static final int BN_CHUNK = 4096;

    /**
     * The term table of cuda/fused.cu's node-sum kernels, on the device: per term the addresses of x, mean, invStd and
     * dx (0 for none) as four 16-bit pieces each (every piece exact in a float, whatever the bit pattern), then the
     * weight. Uploaded only the first time these exact contents are seen ({@link DeviceTables}): a step that runs
     * again on the same workspace buffers and weights reads its tables from the cache, and can be graph-captured.
     */
    private Launcher.Ptr bnTermTable(Tensor[] xs, Tensor[] means, Tensor[] invStds, float[] weights, Tensor[] dxs) {
        float[] table = new float[Math.max(1, BN_TERM_FLOATS * xs.length)];
        for (int t = 0; t < xs.length; t++) {
            int at = BN_TERM_FLOATS * t;
            putAddress(table, at, backend.address(xs[t]));
            putAddress(table, at + 4, means[t] == null ? 0 : backend.address(means[t]));
            putAddress(table, at + 8, invStds[t] == null ? 0 : backend.address(invStds[t]));
            putAddress(table, at + 12, dxs == null || dxs[t] == null ? 0 : backend.address(dxs[t]));
            table[at + 16] = weights[t];
        }
        return new Launcher.Ptr(backend.tables().address(table));
    }

    private static void putAddress(float[] table, int at, long address) {
        for (int piece = 0; piece < 4; piece++) table[at + piece] = (address >>> (16 * piece)) & 0xFFFF;
    }

    /** Dynamic shared memory of a node-sum launch: the decoded term table. */
    private static int bnShared(int terms) {
        long bytes = (long) BN_TERM_SHARED_BYTES * terms;
        if (bytes > Launcher.DEFAULT_SHARED_BYTES) {
            throw new IllegalArgumentException("xs: a node sum of " + terms + " terms needs " + bytes
                    + " bytes of shared memory for its term table, more than " + Launcher.DEFAULT_SHARED_BYTES);
        }
        return (int) bytes;
    }

    @Override
    public void bnWeightedSum(Tensor[] xs, Tensor[] means, Tensor[] invStds, float[] weights, Tensor y, boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "y", y);
        int terms = xs.length, shared = bnShared(terms);
        Launcher.Ptr table = bnTermTable(xs, means, invStds, weights, null);
        launch("bn_weighted_sum_f32", gridFor("bn_weighted_sum_f32", y.size()), shared, table, terms, ptr(y),
                y.size(), y.c(), y.plane(), flag(accumulate));
    }

    @Override
    public void bnWeightedSumBackward(Tensor dy, Tensor[] xs, Tensor[] means, Tensor[] invStds, float[] weights,
                                      Tensor[] dxs, double[] weightGrads, boolean accumulate) {
        FusedChecks.bnTerms(backend, xs, means, invStds, weights, "dy", dy);
        FusedChecks.bnGradients(backend, xs, dxs, weightGrads, dy);
        int terms = xs.length, c = dy.c(), plane = dy.plane(), shared = bnShared(terms);
        if (terms == 0) return;
        long count = (long) dy.n() * plane;
        int chunks = (int) ((count + BN_CHUNK - 1) / BN_CHUNK);
        long items = (long) terms * c * chunks;
        Launcher.Ptr table = bnTermTable(xs, means, invStds, weights, dxs);
        // the kernels write every partial, coefficient and gradient they later read, so the scratch needs no clearing
        Launcher.Ptr part = scratchDoubles("bnWeightedSumBackward.partial", 2 * items);
        Launcher.Ptr coef = new Launcher.Ptr(backend.scratch().take("bnWeightedSumBackward.coef", 4L * 3 * terms * c));
        Launcher.Ptr grads = scratchDoubles("bnWeightedSumBackward.grads", (long) terms * c);
        launch("bn_weighted_sum_backward_partial_f32", (int) Math.min(launcher.maxGridX(), items), shared, table,
                terms, ptr(dy), part, dy.n(), c, plane, chunks,
                (long) BN_CHUNK, flag(weightGrads != null));
        launch("bn_weighted_sum_backward_finish_f32", gridFor("bn_weighted_sum_backward_finish_f32", (long) terms * c),
                shared,
                table, terms, part, coef, grads, c, count, chunks);
        launch("bn_weighted_sum_backward_data_f32", gridFor("bn_weighted_sum_backward_data_f32", dy.size()), shared,
                table, terms,
                coef, ptr(dy), dy.size(), c, plane, flag(accumulate));
        if (weightGrads != null) {  // a read back: mixture steps only, which are not graph-captured
            float[] raw = new float[2 * terms * c];
            launcher.download(grads.address(), raw, raw.length);
            double[] perChannel = partials(raw);
            for (int t = 0; t < terms; t++) {
                double sum = 0;
                for (int ch = 0; ch < c; ch++) sum += perChannel[t * c + ch];
                weightGrads[t] = sum;
            }
        }
    }

    private static Object[] concat(Object[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray();
    }
}
