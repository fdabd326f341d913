package org.proxynas.tensor;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxynas.tensor.SpatialReference.Ref;
import static org.proxynas.tensor.SpatialReference.assertScaled;
import static org.proxynas.tensor.SpatialReference.size;

/**
 * Conformance of the convolution kernels (depthwise, pointwise 1x1, dense) against a naive double-precision
 * reference and finite differences. Every case runs the same checks: forward, backward-data and backward-filter
 * against the reference, both backward passes against central differences, the accumulate contract, and
 * determinism.
 *
 * <p>Tolerances. Reference comparisons allow 1e-5 * sum|terms| + 1e-7 per element: an fp32 sum of K products
 * errs by about sqrt(K) * 2^-24 * sum|terms| on random data (under 2e-6 * sum|terms| for every K here), while
 * a wrong index or a missed tap moves an element by a whole term, about sum|terms| / K (at least 2e-3 of it
 * here). Finite differences: the convs are linear in x and in w, so the central difference has no truncation
 * error and a large step h = 0.5 is exact up to the fp32 rounding of the forward pass; that noise in
 * L = sum(r*y) is below 1e-5 here, so atol = rtol = 1e-3 has a wide margin and still catches any gradient
 * that is off by a term.
 */
public abstract class ConvConformance extends KernelSuite {
    private static final double REL = 1e-5, ABS = 1e-7;
    private static final double FD_H = 0.5, FD_ATOL = 1e-3, FD_RTOL = 1e-3;
    private static final int FD_PROBES = 24;

    // ---- the cases ---------------------------------------------------------------------------------------------

    /** One conv configuration: shapes, the three kernel calls, and the reference taps. */
    abstract static class Case {
        final String name;
        final int[] xShape, wShape, yShape;

        Case(String name, int[] xShape, int[] wShape, int[] yShape) {
            this.name = name;
            this.xShape = xShape;
            this.wShape = wShape;
            this.yShape = yShape;
        }

        abstract void forward(Kernels k, Tensor x, Tensor w, Tensor y);
        abstract void backwardData(Kernels k, Tensor dy, Tensor w, Tensor dx, boolean accumulate);
        abstract void backwardFilter(Kernels k, Tensor x, Tensor dy, Tensor dw);
        abstract void taps(SpatialReference.Tap tap);

        @Override public String toString() { return name; }
    }

    static Case depthwise(int n, int c, int h, int w, ConvGeom g) {
        int ho = (h + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1;
        int wo = (w + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1;
        return new Case("depthwise n" + n + " c" + c + " " + h + "x" + w + " " + g,
                new int[] {n, c, h, w}, new int[] {c, 1, g.kernel(), g.kernel()}, new int[] {n, c, ho, wo}) {
            void forward(Kernels k, Tensor x, Tensor wt, Tensor y) { k.depthwiseConvForward(x, wt, y, g); }
            void backwardData(Kernels k, Tensor dy, Tensor wt, Tensor dx, boolean acc) { k.depthwiseConvBackwardData(dy, wt, dx, g, acc); }
            void backwardFilter(Kernels k, Tensor x, Tensor dy, Tensor dw) { k.depthwiseConvBackwardFilter(x, dy, dw, g); }
            void taps(SpatialReference.Tap tap) { SpatialReference.convTaps(n, c, h, w, c, g, true, tap); }
        };
    }

    static Case dense(int n, int cin, int cout, int h, int w, ConvGeom g) {
        int ho = (h + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1;
        int wo = (w + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1;
        return new Case("dense n" + n + " " + cin + "->" + cout + " " + h + "x" + w + " " + g,
                new int[] {n, cin, h, w}, new int[] {cout, cin, g.kernel(), g.kernel()}, new int[] {n, cout, ho, wo}) {
            void forward(Kernels k, Tensor x, Tensor wt, Tensor y) { k.convForward(x, wt, y, g); }
            void backwardData(Kernels k, Tensor dy, Tensor wt, Tensor dx, boolean acc) { k.convBackwardData(dy, wt, dx, g, acc); }
            void backwardFilter(Kernels k, Tensor x, Tensor dy, Tensor dw) { k.convBackwardFilter(x, dy, dw, g); }
            void taps(SpatialReference.Tap tap) { SpatialReference.convTaps(n, cin, h, w, cout, g, false, tap); }
        };
    }

    static Case pointwise(int n, int cin, int cout, int h, int w, int stride, int offset, int ho, int wo) {
        return new Case("pointwise n" + n + " " + cin + "->" + cout + " " + h + "x" + w + " -> " + ho + "x" + wo
                + " stride " + stride + " offset " + offset,
                new int[] {n, cin, h, w}, new int[] {cout, cin, 1, 1}, new int[] {n, cout, ho, wo}) {
            void forward(Kernels k, Tensor x, Tensor wt, Tensor y) { k.pointwiseConvForward(x, wt, y, stride, offset); }
            void backwardData(Kernels k, Tensor dy, Tensor wt, Tensor dx, boolean acc) { k.pointwiseConvBackwardData(dy, wt, dx, stride, offset, acc); }
            void backwardFilter(Kernels k, Tensor x, Tensor dy, Tensor dw) { k.pointwiseConvBackwardWeight(x, dy, dw, stride, offset); }
            void taps(SpatialReference.Tap tap) { SpatialReference.pointwiseTaps(n, cin, h, w, cout, ho, wo, stride, offset, tap); }
        };
    }

    static Stream<Case> cases() {
        return Stream.of(
                // depthwise: DARTS sep/dil convs (pad = (k-1)/2 * d), odd sizes, stride 2, other paddings
                depthwise(2, 3, 7, 9, ConvGeom.of(3, 1, 1)),
                depthwise(2, 3, 7, 9, ConvGeom.of(3, 2, 1)),
                depthwise(1, 2, 8, 8, ConvGeom.of(5, 1, 2)),
                depthwise(2, 2, 9, 7, ConvGeom.of(5, 2, 2)),
                depthwise(1, 3, 9, 9, new ConvGeom(3, 1, 2, 2)),
                depthwise(2, 2, 8, 8, new ConvGeom(5, 2, 4, 2)),
                depthwise(1, 2, 6, 5, ConvGeom.of(3, 1, 0)),
                depthwise(1, 2, 5, 6, ConvGeom.of(3, 2, 3)),
                depthwise(2, 2, 1, 1, ConvGeom.of(3, 1, 1)),
                depthwise(1, 2, 32, 32, ConvGeom.of(3, 1, 1)),
                depthwise(10, 2, 6, 6, ConvGeom.of(3, 1, 1)),       // several images per reduction chunk
                depthwise(1, 2, 6, 7, ConvGeom.of(1, 1, 0)),        // kernels other than 3 and 5
                depthwise(1, 2, 5, 6, ConvGeom.of(2, 1, 1)),
                depthwise(1, 2, 5, 6, ConvGeom.of(3, 1, 3)),        // padding beyond (k-1)*d
                // pointwise: direct (long rows, short rows, channel counts not multiples of 4) and sampled
                pointwise(2, 5, 7, 7, 9, 1, 0, 7, 9),
                pointwise(2, 9, 12, 16, 16, 1, 0, 16, 16),
                pointwise(2, 6, 5, 3, 3, 1, 0, 3, 3),
                pointwise(2, 6, 4, 8, 8, 2, 0, 4, 4),
                pointwise(2, 6, 4, 8, 8, 2, 1, 4, 4),
                pointwise(1, 3, 5, 7, 9, 2, 1, 3, 4),
                pointwise(1, 4, 3, 6, 7, 1, 0, 5, 6),
                pointwise(1, 5, 6, 20, 20, 1, 0, 20, 20),            // 400 pixels: a full tile and a partial one
                pointwise(9, 4, 6, 8, 8, 2, 1, 4, 4),                // several images per reduction chunk
                pointwise(9, 3, 5, 5, 5, 1, 0, 5, 5),
                // dense: the stem (3x3 pad 1), the aux head (1x1, then 2x2 on a 2x2 map), stride 2, dilation, k 5
                dense(2, 3, 8, 8, 8, ConvGeom.of(3, 1, 1)),
                dense(2, 6, 5, 2, 2, ConvGeom.of(1, 1, 0)),
                dense(2, 5, 7, 2, 2, ConvGeom.of(2, 1, 0)),
                dense(2, 4, 6, 7, 9, ConvGeom.of(3, 2, 1)),
                dense(1, 3, 4, 9, 9, new ConvGeom(3, 1, 2, 2)),
                dense(1, 2, 3, 8, 8, ConvGeom.of(5, 2, 2)),
                dense(1, 4, 5, 12, 12, ConvGeom.of(3, 1, 1)),
                dense(9, 3, 4, 6, 6, ConvGeom.of(3, 1, 1)));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Tensor tensor(float[] data, int[] shape) { return backend.fromHost(data, shape); }

    private static Ref forwardRef(Case c, float[] x, float[] w) {
        Ref r = Ref.of(size(c.yShape));
        c.taps((xi, wi, yi) -> r.add(yi, (double) w[wi] * x[xi]));
        return r;
    }

    private static Ref dataRef(Case c, float[] dy, float[] w) {
        Ref r = Ref.of(size(c.xShape));
        c.taps((xi, wi, yi) -> r.add(xi, (double) w[wi] * dy[yi]));
        return r;
    }

    private static Ref filterRef(Case c, float[] x, float[] dy) {
        Ref r = Ref.of(size(c.wShape));
        c.taps((xi, wi, yi) -> r.add(wi, (double) x[xi] * dy[yi]));
        return r;
    }

    private static long seed(Case c) { return c.name.hashCode(); }

    // ---- per-case checks ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesReference(Case c) {
        Random rnd = new Random(seed(c));
        float[] x = SpatialReference.randn(rnd, size(c.xShape)), w = SpatialReference.randn(rnd, size(c.wShape));
        Tensor y = backend.allocate(c.yShape);
        SpatialReference.fill(y, Float.NaN);   // forward overwrites: stale content must not leak through
        c.forward(k, tensor(x, c.xShape), tensor(w, c.wShape), y);
        assertScaled(c + ": y", forwardRef(c, x, w), y.toHost(), REL, ABS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardDataMatchesReferenceAndFiniteDifferences(Case c) {
        Random rnd = new Random(seed(c) + 1);
        float[] x = SpatialReference.randn(rnd, size(c.xShape)), w = SpatialReference.randn(rnd, size(c.wShape));
        float[] r = SpatialReference.randn(rnd, size(c.yShape));   // L = sum(r * y), so dL/dy = r
        Tensor xt = tensor(x, c.xShape), wt = tensor(w, c.wShape), y = backend.allocate(c.yShape), dx = backend.allocate(c.xShape);
        c.backwardData(k, tensor(r, c.yShape), wt, dx, false);
        float[] analytic = dx.toHost();
        assertScaled(c + ": dx", dataRef(c, r, w), analytic, REL, ABS);
        GradCheck.check(c + ": dx", xt, analytic, () -> {
            c.forward(k, xt, wt, y);
            return GradCheck.weightedSum(y, r);
        }, FD_H, FD_ATOL, FD_RTOL, FD_PROBES, rnd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardFilterMatchesReferenceAndFiniteDifferences(Case c) {
        Random rnd = new Random(seed(c) + 2);
        float[] x = SpatialReference.randn(rnd, size(c.xShape)), w = SpatialReference.randn(rnd, size(c.wShape));
        float[] r = SpatialReference.randn(rnd, size(c.yShape));
        Tensor xt = tensor(x, c.xShape), wt = tensor(w, c.wShape), y = backend.allocate(c.yShape), dw = backend.allocate(c.wShape);
        c.backwardFilter(k, xt, tensor(r, c.yShape), dw);
        float[] analytic = dw.toHost();
        assertScaled(c + ": dw", filterRef(c, x, r), analytic, REL, ABS);
        GradCheck.check(c + ": dw", wt, analytic, () -> {
            c.forward(k, xt, wt, y);
            return GradCheck.weightedSum(y, r);
        }, FD_H, FD_ATOL, FD_RTOL, FD_PROBES, rnd);
    }

    /**
     * accumulate = true adds to dx, accumulate = false ignores what was there (even NaN), and the filter
     * gradient always adds. Sums of an fp32 prior and a gradient differ from the separately computed sum by a
     * few ulps of values below 100 here: atol = rtol = 1e-5.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void accumulateContract(Case c) {
        Random rnd = new Random(seed(c) + 3);
        float[] x = SpatialReference.randn(rnd, size(c.xShape)), w = SpatialReference.randn(rnd, size(c.wShape));
        float[] dy = SpatialReference.randn(rnd, size(c.yShape));
        float[] priorX = SpatialReference.randn(rnd, size(c.xShape)), priorW = SpatialReference.randn(rnd, size(c.wShape));
        Tensor xt = tensor(x, c.xShape), wt = tensor(w, c.wShape), dyt = tensor(dy, c.yShape);

        Tensor dx = backend.allocate(c.xShape);
        c.backwardData(k, dyt, wt, dx, false);
        float[] clean = dx.toHost();

        SpatialReference.fill(dx, Float.NaN);
        c.backwardData(k, dyt, wt, dx, false);
        assertArrayEquals(clean, dx.toHost(), c + ": accumulate=false must overwrite dx");

        dx.fromHost(priorX);
        c.backwardData(k, dyt, wt, dx, true);
        GradCheck.assertClose(c + ": dx accumulated", sum(priorX, clean), dx.toHost(), 1e-5, 1e-5);

        Tensor dw = backend.allocate(c.wShape);
        c.backwardFilter(k, xt, dyt, dw);
        float[] cleanW = dw.toHost();
        dw.fromHost(priorW);
        c.backwardFilter(k, xt, dyt, dw);
        GradCheck.assertClose(c + ": dw accumulated", sum(priorW, cleanW), dw.toHost(), 1e-5, 1e-5);
    }

    private static double[] sum(float[] a, float[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) s[i] = (double) a[i] + b[i];
        return s;
    }

    // ---- whole-suite checks ------------------------------------------------------------------------------------

    /** Batches large enough to split into several chunks: two runs (and a second backend) agree bit for bit. */
    @Test
    void resultsAreBitIdenticalRunToRun() {
        List<Case> big = List.of(
                depthwise(16, 16, 16, 16, ConvGeom.of(3, 1, 1)),
                depthwise(16, 8, 16, 16, new ConvGeom(5, 2, 4, 2)),
                pointwise(16, 16, 24, 16, 16, 1, 0, 16, 16),
                pointwise(16, 16, 8, 16, 16, 2, 1, 8, 8),
                dense(16, 3, 16, 16, 16, ConvGeom.of(3, 1, 1)));
        try (Backend other = createBackend()) {
            for (Case c : big) {
                Random rnd = new Random(seed(c));
                float[] x = SpatialReference.randn(rnd, size(c.xShape)), w = SpatialReference.randn(rnd, size(c.wShape));
                float[] dy = SpatialReference.randn(rnd, size(c.yShape));
                float[][] first = runAll(backend, c, x, w, dy);
                assertArrayEquals(first, runAll(backend, c, x, w, dy), c + ": second run differs");
                assertArrayEquals(first, runAll(other, c, x, w, dy), c + ": second backend differs");
            }
        }
    }

    private static float[][] runAll(Backend b, Case c, float[] x, float[] w, float[] dy) {
        Kernels kb = b.kernels();
        Tensor xt = b.fromHost(x, c.xShape), wt = b.fromHost(w, c.wShape), dyt = b.fromHost(dy, c.yShape);
        Tensor y = b.allocate(c.yShape), dx = b.allocate(c.xShape), dw = b.allocate(c.wShape);
        c.forward(kb, xt, wt, y);
        c.backwardData(kb, dyt, wt, dx, false);
        c.backwardFilter(kb, xt, dyt, dw);
        return new float[][] {y.toHost(), dx.toHost(), dw.toHost()};
    }

    /** A [N, F] row tensor stands for [N, F, 1, 1]: the 1x1 conv is then a linear map without bias. */
    @Test
    void pointwiseAcceptsRows() {
        Random rnd = new Random(7);
        float[] x = SpatialReference.randn(rnd, 3 * 5), w = SpatialReference.randn(rnd, 4 * 5);
        Tensor y = backend.allocate(3, 4);
        k.pointwiseConvForward(backend.fromHost(x, 3, 5), backend.fromHost(w, 4, 5, 1, 1), y, 1, 0);
        Case asImage = pointwise(3, 5, 4, 1, 1, 1, 0, 1, 1);
        assertScaled("rows", forwardRef(asImage, x, w), y.toHost(), REL, ABS);
    }

    /** The edges of a plane see fewer taps: a hand-computed 3x3 depthwise conv of ones with a ones filter. */
    @Test
    void depthwisePaddingByHand() {
        Tensor x = backend.allocate(1, 1, 3, 4), w = backend.allocate(1, 1, 3, 3), y = backend.allocate(1, 1, 3, 4);
        SpatialReference.fill(x, 1f);
        SpatialReference.fill(w, 1f);
        k.depthwiseConvForward(x, w, y, ConvGeom.of(3, 1, 1));
        assertArrayEquals(new float[] {4, 6, 6, 4, 6, 9, 9, 6, 4, 6, 6, 4}, y.toHost());
    }

    // ---- argument checks ---------------------------------------------------------------------------------------

    @Test
    void badArgumentsAreRejectedByName() {
        ConvGeom g = ConvGeom.of(3, 1, 1);
        Tensor x = backend.allocate(2, 4, 8, 8), w = backend.allocate(4, 1, 3, 3), y = backend.allocate(2, 4, 8, 8);
        Tensor wrongY = backend.allocate(2, 4, 7, 8), wrongW = backend.allocate(4, 1, 5, 5);
        Tensor pw = backend.allocate(6, 4, 1, 1), half = backend.allocate(2, 6, 4, 4);

        rejects("y must have shape [2, 4, 8, 8]", () -> k.depthwiseConvForward(x, w, wrongY, g));
        rejects("w must have shape [4, 1, 3, 3]", () -> k.depthwiseConvForward(x, wrongW, y, g));
        rejects("dy must have shape [2, 4, 7, 8]", () -> k.depthwiseConvBackwardData(y, w, wrongY, g, false));
        rejects("dw must have shape", () -> k.depthwiseConvBackwardFilter(x, y, wrongW, g));
        rejects("dy must have shape", () -> k.depthwiseConvBackwardFilter(x, wrongY, w, g));
        rejects("g must not be null", () -> k.depthwiseConvForward(x, w, y, null));
        rejects("x: input side 8 is too small", () -> k.depthwiseConvForward(x, w, y, ConvGeom.of(11, 1, 0)));
        rejects("x must be NCHW", () -> k.depthwiseConvForward(backend.allocate(4, 8, 8), w, y, g));
        rejects("x must not be null", () -> k.depthwiseConvForward(null, w, y, g));

        rejects("offset", () -> k.pointwiseConvForward(x, pw, half, 2, 2));
        rejects("offset must be >= 0", () -> k.pointwiseConvForward(x, pw, half, 2, -1));
        rejects("stride must be > 0", () -> k.pointwiseConvForward(x, pw, half, 0, 0));
        rejects("w must have shape [*, 4, 1, 1]", () -> k.pointwiseConvForward(x, backend.allocate(6, 3, 1, 1), half, 2, 0));
        rejects("y must have shape [2, 6, 4, 4]", () -> k.pointwiseConvForward(x, pw, backend.allocate(2, 5, 4, 4), 2, 0));
        rejects("dx must have shape [2, 4, 8, 8]", () -> k.pointwiseConvBackwardData(half, pw, backend.allocate(2, 3, 8, 8), 2, 0, false));
        rejects("dw must have shape [*, 4, 1, 1]", () -> k.pointwiseConvBackwardWeight(x, half, backend.allocate(6, 5, 1, 1), 2, 0));

        rejects("w must have shape [*, 4, 3, 3]", () -> k.convForward(x, backend.allocate(8, 3, 3, 3), backend.allocate(2, 8, 8, 8), g));
        rejects("y must have shape [2, 8, 8, 8]", () -> k.convForward(x, backend.allocate(8, 4, 3, 3), y, g));
        rejects("dy must have shape [2, 8, 7, 8]", () -> k.convBackwardData(backend.allocate(2, 8, 8, 8), backend.allocate(8, 4, 3, 3), wrongY, g, true));
        rejects("w must have shape [*, 3, 3, 3]", () -> k.convBackwardData(backend.allocate(2, 8, 8, 8), backend.allocate(8, 4, 3, 3), backend.allocate(2, 3, 8, 8), g, true));
        rejects("dw must have shape [*, 4, 3, 3]", () -> k.convBackwardFilter(x, backend.allocate(2, 8, 8, 8), backend.allocate(8, 4, 2, 2), g));
        rejects("stride must be > 0", () -> k.pointwiseConvBackwardWeight(x, half, pw, 0, 0));

        try (Backend other = createBackend()) {
            Tensor foreign = other.allocate(2, 4, 8, 8);
            rejects("x lives on backend", () -> k.depthwiseConvForward(foreign, w, y, g));
            rejects("dy lives on backend", () -> k.pointwiseConvBackwardWeight(x, foreign, backend.allocate(4, 4, 1, 1), 1, 0));
        }
    }

    private static void rejects(String messagePart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, "expected rejection: " + messagePart);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    }
}
