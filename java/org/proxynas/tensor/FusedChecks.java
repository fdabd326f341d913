package org.proxynas.tensor;

/**
 * Argument checks of the fused kernels ({@link Kernels#reluDwPwForward}, {@link Kernels#bnWeightedSum} and their
 * backwards), shared by every backend so that both reject the same calls with the same messages.
 */
public final class FusedChecks {
    private FusedChecks() {}

    /** The sizes of a checked ReLU-depthwise-pointwise call: x [n,c,h,w], y [n,cout,ho,wo]. */
    public record ReluDwPw(int n, int c, int h, int w, int cout, int ho, int wo) {
        /** Output pixels over the batch: the length of every per-channel reduction. */
        public long pixels() { return (long) n * ho * wo; }
    }

    /**
     * x [N,C,H,W] (named xName: x or dx), dw [C,1,k,k], pw [Cout,C,1,1], the output side (yName: y or dy)
     * [N,Cout,Ho,Wo] for the depthwise geometry g.
     */
    public static ReluDwPw reluDwPw(Backend backend, String xName, Tensor x, Tensor dw, Tensor pw, ConvGeom g,
                                    String yName, Tensor y) {
        SpatialChecks.geometry(g);
        SpatialChecks.on(backend, xName, x);
        Checks.rank(xName, x, 4);
        int n = x.n(), c = x.c(), k = g.kernel();
        int ho = SpatialChecks.outSize(xName, x.h(), g), wo = SpatialChecks.outSize(xName, x.w(), g);
        SpatialChecks.on(backend, "dw", dw);
        Checks.shape("dw", dw, c, 1, k, k);
        SpatialChecks.on(backend, "pw", pw);
        Checks.shape("pw", pw, -1, c, 1, 1);
        int cout = pw.dim(0);
        SpatialChecks.on(backend, yName, y);
        Checks.shape(yName, y, n, cout, ho, wo);
        return new ReluDwPw(n, c, x.h(), x.w(), cout, ho, wo);
    }

    /** The gradient outputs of {@link Kernels#reluDwPwBackward}: each shaped like what it is the gradient of. */
    public static void reluDwPwGradients(Backend backend, Tensor x, Tensor dw, Tensor pw, Tensor dx, Tensor ddw,
                                         Tensor dpw) {
        SpatialChecks.sameShapeOn(backend, "dx", dx, "x", x);
        if (ddw != null) SpatialChecks.sameShapeOn(backend, "ddw", ddw, "dw", dw);
        if (dpw != null) SpatialChecks.sameShapeOn(backend, "dpw", dpw, "pw", pw);
    }

    /** The statistics outputs of {@link Kernels#reluDwPwForward}: batch-norm training checks on y. */
    public static void statistics(Backend backend, Tensor y, Tensor runningMean, Tensor runningVar, float momentum,
                                  float eps, Tensor saveMean, Tensor saveInvStd) {
        NormChecks.batchNormTrainForward(backend, y, null, null, runningMean, runningVar, momentum, eps, y, saveMean,
                saveInvStd);
    }

    /**
     * The terms of a batch-norm-folded weighted sum: one weight per input, every input shaped like out (named
     * outName: y or dy), means[i] and invStds[i] both null (input used as it is) or both [C]; stored weights index
     * into a vector, and their gradient accumulator, if any, holds a double per entry of it.
     */
    public static void bnTerms(Backend backend, Tensor[] xs, Tensor[] means, Tensor[] invStds, TermWeights weights,
                               String outName, Tensor out) {
        Checks.notNull("xs", xs);
        Checks.notNull("means", means);
        Checks.notNull("invStds", invStds);
        Checks.notNull("weights", weights);
        SpatialChecks.image(backend, outName, out);
        int k = xs.length;
        if (means.length != k || invStds.length != k || weights.count() != k) {
            throw new IllegalArgumentException("means, invStds and weights must have one entry per input (" + k
                    + "), got " + means.length + ", " + invStds.length + " and " + weights.count());
        }
        if (weights instanceof TermWeights.Stored s) storedWeights(backend, s);
        for (int i = 0; i < k; i++) {
            SpatialChecks.sameShapeOn(backend, "xs[" + i + "]", xs[i], outName, out);
            if ((means[i] == null) != (invStds[i] == null)) {
                throw new IllegalArgumentException("means[" + i + "] and invStds[" + i
                        + "] must be both given (batch-normalised input) or both null (input as it is)");
            }
            SpatialChecks.optionalVector(backend, "means[" + i + "]", means[i], out.c());
            SpatialChecks.optionalVector(backend, "invStds[" + i + "]", invStds[i], out.c());
        }
    }

    private static void storedWeights(Backend backend, TermWeights.Stored s) {
        SpatialChecks.on(backend, "weights.values", s.values());
        Checks.rank("weights.values", s.values(), 1);
        long rows = s.values().size();
        for (int t = 0; t < s.index().length; t++) {
            if (s.index()[t] < 0 || s.index()[t] >= rows) {
                throw new IllegalArgumentException("weights.index[" + t + "] must be in [0, " + rows + "), got " + s.index()[t]);
            }
        }
        if (s.grads() == null) return;
        SpatialChecks.on(backend, "weights.grads", s.grads());
        if (s.grads().buffer() == s.values().buffer()) {
            throw new IllegalArgumentException("weights.grads must not share a buffer with weights.values");
        }
        Checks.shape("weights.grads", s.grads(), (int) (2 * rows));
    }

    /**
     * The outputs of a batch-norm-folded weighted sum's backward: one input gradient per input, null (not wanted)
     * or shaped like dy and sharing no buffer with dy or an input.
     */
    public static void bnGradients(Backend backend, Tensor[] xs, Tensor[] dxs, Tensor dy) {
        Checks.notNull("dxs", dxs);
        if (dxs.length != xs.length) {
            throw new IllegalArgumentException("dxs must have one entry per input (" + xs.length + "), got " + dxs.length);
        }
        for (int i = 0; i < dxs.length; i++) {
            if (dxs[i] == null) continue;
            String name = "dxs[" + i + "]";
            SpatialChecks.sameShapeOn(backend, name, dxs[i], "dy", dy);
            if (dxs[i].buffer() == dy.buffer()) throw new IllegalArgumentException(name + " must not share a buffer with dy");
            for (int j = 0; j < xs.length; j++) {
                if (dxs[i].buffer() == xs[j].buffer()) {
                    throw new IllegalArgumentException(name + " must not share a buffer with xs[" + j + "]");
                }
            }
        }
    }
}
