package org.proxynas.tensor;

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
 * Conformance of max pool, average pool (count_include_pad both ways) and global average pool against naive
 * double-precision references, hand-computed examples and finite differences.
 *
 * <p>Tolerances. Max pool copies values, so its forward pass must match exactly. Sums (average pools, routed
 * max-pool gradients) allow 1e-6 * sum|terms| + 1e-7: at most 25 fp32 terms plus a division, each rounding by
 * 2^-24 (6e-8) relative, while a missed or extra tap moves a value by at least sum|terms| / 25. Finite
 * differences: average pools are linear and max pool is linear while no window changes its winner, so the
 * central difference is exact up to fp32 rounding; average pools use h = 0.5 (noise in L below 1e-5, tolerance
 * 1e-3), max pool uses inputs 0.01 apart and h = 1e-3, so no winner changes and tolerance 1e-4 holds.
 */
public abstract class PoolConformance extends KernelSuite {
    private static final double REL = 1e-6, ABS = 1e-7;

    /** One pooling configuration over x [n, c, h, w]. */
    record Case(int n, int c, int h, int w, ConvGeom g) {
        int ho() { return (h + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1; }
        int wo() { return (w + 2 * g.padding() - g.dilation() * (g.kernel() - 1) - 1) / g.stride() + 1; }
        int[] x() { return new int[] {n, c, h, w}; }
        int[] y() { return new int[] {n, c, ho(), wo()}; }

        @Override public String toString() { return "n" + n + " c" + c + " " + h + "x" + w + " " + g; }
    }

    static Stream<Case> maxCases() {
        return Stream.of(
                new Case(2, 3, 7, 9, ConvGeom.of(3, 1, 1)),     // DARTS max_pool_3x3, normal cell
                new Case(2, 3, 7, 9, ConvGeom.of(3, 2, 1)),     // reduction cell
                new Case(1, 2, 8, 8, ConvGeom.of(2, 2, 0)),
                new Case(2, 2, 9, 7, ConvGeom.of(3, 2, 0)),
                new Case(1, 2, 9, 9, new ConvGeom(3, 1, 2, 2)),
                new Case(1, 1, 1, 1, ConvGeom.of(3, 1, 1)));
    }

    static Stream<Case> accumulateCases() {
        return Stream.of(new Case(2, 3, 7, 9, ConvGeom.of(3, 1, 1)), new Case(2, 3, 7, 9, ConvGeom.of(3, 2, 1)));
    }

    static Stream<Case> avgCases() {
        return Stream.of(
                new Case(2, 3, 7, 9, ConvGeom.of(3, 1, 1)),     // DARTS avg_pool_3x3
                new Case(2, 3, 7, 9, ConvGeom.of(3, 2, 1)),
                new Case(2, 2, 8, 8, ConvGeom.of(5, 3, 0)),     // the auxiliary head: 8x8 -> 2x2
                new Case(1, 2, 8, 8, ConvGeom.of(2, 2, 0)),
                new Case(1, 2, 6, 5, ConvGeom.of(3, 2, 1)),
                new Case(1, 1, 1, 1, ConvGeom.of(3, 1, 1)));
    }

    // ---- references --------------------------------------------------------------------------------------------

    /** Index (within x) of each output's winner: PyTorch's scan, first in-bounds tap then strictly greater or NaN. */
    private static int[] maxWinners(Case c, float[] x) {
        int[] win = new int[size(c.y())];
        ConvGeom g = c.g();
        for (int p = 0; p < c.n() * c.c(); p++) {
            for (int i = 0; i < c.ho(); i++) {
                for (int j = 0; j < c.wo(); j++) {
                    int best = -1;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ki = 0; ki < g.kernel(); ki++) {
                        for (int kj = 0; kj < g.kernel(); kj++) {
                            int r = i * g.stride() - g.padding() + ki * g.dilation();
                            int col = j * g.stride() - g.padding() + kj * g.dilation();
                            if (r < 0 || r >= c.h() || col < 0 || col >= c.w()) continue;
                            int xi = (p * c.h() + r) * c.w() + col;
                            if (best < 0 || x[xi] > max || Float.isNaN(x[xi])) {
                                best = xi;
                                max = x[xi];
                            }
                        }
                    }
                    win[(p * c.ho() + i) * c.wo() + j] = best;
                }
            }
        }
        return win;
    }

    /** Calls tap(xi, yi, divisor) for every in-bounds tap of an average pool. */
    private interface AvgTap { void at(int xi, int yi, int divisor); }

    private static void avgTaps(Case c, boolean countIncludePad, AvgTap tap) {
        ConvGeom g = c.g();
        int k = g.kernel();
        for (int p = 0; p < c.n() * c.c(); p++) {
            for (int i = 0; i < c.ho(); i++) {
                for (int j = 0; j < c.wo(); j++) {
                    int inside = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        for (int ki = 0; ki < k; ki++) {
                            for (int kj = 0; kj < k; kj++) {
                                int r = i * g.stride() - g.padding() + ki, col = j * g.stride() - g.padding() + kj;
                                if (r < 0 || r >= c.h() || col < 0 || col >= c.w()) continue;
                                if (pass == 0) inside++;
                                else tap.at((p * c.h() + r) * c.w() + col, (p * c.ho() + i) * c.wo() + j,
                                        countIncludePad ? k * k : inside);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- max pool ----------------------------------------------------------------------------------------------

    /** Negative inputs: padding read as 0 instead of minus infinity would win somewhere on the border. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("maxCases")
    void maxPoolForwardMatchesReference(Case c) {
        Random rnd = new Random(c.hashCode());
        float[] x = new float[size(c.x())];
        for (int i = 0; i < x.length; i++) x[i] = -1 - 4 * rnd.nextFloat();
        Tensor y = backend.allocate(c.y());
        SpatialReference.fill(y, Float.NaN);
        k.maxPoolForward(backend.fromHost(x, c.x()), y, c.g());
        int[] win = maxWinners(c, x);
        float[] expected = new float[win.length];
        for (int o = 0; o < win.length; o++) expected[o] = x[win[o]];
        assertArrayEquals(expected, y.toHost());
    }

    /** Inputs from {0, 1, 2}: most windows hold ties, which must go to the first maximum in row-major order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("maxCases")
    void maxPoolBackwardRoutesTiesToFirstMaximum(Case c) {
        Random rnd = new Random(c.hashCode() + 1);
        float[] x = new float[size(c.x())];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(3);
        float[] dy = SpatialReference.randn(rnd, size(c.y()));
        Tensor dx = backend.allocate(c.x());
        k.maxPoolBackward(backend.fromHost(x, c.x()), backend.fromHost(dy, c.y()), dx, c.g(), false);
        int[] win = maxWinners(c, x);
        Ref ref = Ref.of(x.length);
        for (int o = 0; o < win.length; o++) ref.add(win[o], dy[o]);
        assertScaled(c + ": dx", ref, dx.toHost(), REL, ABS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxCases")
    void maxPoolBackwardMatchesFiniteDifferences(Case c) {
        Random rnd = new Random(c.hashCode() + 2);
        int n = size(c.x());
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -1f + 0.01f * i;   // distinct values 0.01 apart, then shuffled
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        float[] r = SpatialReference.randn(rnd, size(c.y()));
        Tensor xt = backend.fromHost(x, c.x()), y = backend.allocate(c.y()), dx = backend.allocate(c.x());
        k.maxPoolBackward(xt, backend.fromHost(r, c.y()), dx, c.g(), false);
        GradCheck.check(c + ": max pool dx", xt, dx.toHost(), () -> {
            k.maxPoolForward(xt, y, c.g());
            return GradCheck.weightedSum(y, r);
        }, 1e-3, 1e-4, 1e-4, 40, rnd);
    }

    @Test
    void maxPoolByHand() {
        // windows (k2, s1) of [[1,3,3],[3,1,3]]: {1,3,3,1} and {3,3,1,3} both pick x[0,1], the first 3
        Tensor x = backend.fromHost(new float[] {1, 3, 3, 3, 1, 3}, 1, 1, 2, 3);
        Tensor y = backend.allocate(1, 1, 1, 2), dx = backend.allocate(1, 1, 2, 3);
        k.maxPoolForward(x, y, ConvGeom.of(2, 1, 0));
        assertArrayEquals(new float[] {3, 3}, y.toHost());
        k.maxPoolBackward(x, backend.fromHost(new float[] {1, 10}, 1, 1, 1, 2), dx, ConvGeom.of(2, 1, 0), false);
        assertArrayEquals(new float[] {0, 11, 0, 0, 0, 0}, dx.toHost());

        // a constant 2x2 plane, k3 s1 p1: every window's first in-bounds tap is (0,0); padding is -inf, not 0
        Tensor c = backend.fromHost(new float[] {-5, -5, -5, -5}, 1, 1, 2, 2);
        Tensor cy = backend.allocate(1, 1, 2, 2), cdx = backend.allocate(1, 1, 2, 2);
        k.maxPoolForward(c, cy, ConvGeom.of(3, 1, 1));
        assertArrayEquals(new float[] {-5, -5, -5, -5}, cy.toHost());
        k.maxPoolBackward(c, backend.fromHost(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), cdx, ConvGeom.of(3, 1, 1), false);
        assertArrayEquals(new float[] {10, 0, 0, 0}, cdx.toHost());

        // all minus infinity: the maxima are -inf and every gradient goes to the first tap inside, (0,0)
        float inf = Float.NEGATIVE_INFINITY;
        Tensor m = backend.fromHost(new float[] {inf, inf, inf, inf}, 1, 1, 2, 2);
        k.maxPoolForward(m, cy, ConvGeom.of(3, 1, 1));
        assertArrayEquals(new float[] {inf, inf, inf, inf}, cy.toHost());
        k.maxPoolBackward(m, backend.fromHost(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), cdx, ConvGeom.of(3, 1, 1), false);
        assertArrayEquals(new float[] {10, 0, 0, 0}, cdx.toHost());

        // NaN propagates, and PyTorch's scan (greater, or NaN) leaves the last NaN of the window as the winner
        Tensor nan = backend.fromHost(new float[] {1, Float.NaN, Float.NaN, 0}, 1, 1, 2, 2);
        k.maxPoolForward(nan, cy, ConvGeom.of(3, 1, 1));
        for (float v : cy.toHost()) assertTrue(Float.isNaN(v), "max pool of a window holding NaN must be NaN");
        k.maxPoolBackward(nan, backend.fromHost(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), cdx, ConvGeom.of(3, 1, 1), false);
        assertArrayEquals(new float[] {0, 0, 10, 0}, cdx.toHost());
    }

    // ---- average pool -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void avgPoolForwardMatchesReference(Case c) {
        for (boolean include : new boolean[] {false, true}) {
            Random rnd = new Random(c.hashCode() + (include ? 3 : 4));
            float[] x = SpatialReference.randn(rnd, size(c.x()));
            Tensor y = backend.allocate(c.y());
            SpatialReference.fill(y, Float.NaN);
            k.avgPoolForward(backend.fromHost(x, c.x()), y, c.g(), include);
            Ref ref = Ref.of(size(c.y()));
            avgTaps(c, include, (xi, yi, div) -> ref.add(yi, (double) x[xi] / div));
            assertScaled(c + " countIncludePad=" + include + ": y", ref, y.toHost(), REL, ABS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void avgPoolBackwardMatchesReferenceAndFiniteDifferences(Case c) {
        for (boolean include : new boolean[] {false, true}) {
            Random rnd = new Random(c.hashCode() + (include ? 5 : 6));
            float[] x = SpatialReference.randn(rnd, size(c.x())), r = SpatialReference.randn(rnd, size(c.y()));
            Tensor xt = backend.fromHost(x, c.x()), y = backend.allocate(c.y()), dx = backend.allocate(c.x());
            k.avgPoolBackward(backend.fromHost(r, c.y()), dx, c.g(), include, false);
            float[] analytic = dx.toHost();
            Ref ref = Ref.of(size(c.x()));
            avgTaps(c, include, (xi, yi, div) -> ref.add(xi, (double) r[yi] / div));
            assertScaled(c + " countIncludePad=" + include + ": dx", ref, analytic, REL, ABS);
            GradCheck.check(c + " countIncludePad=" + include + ": dx", xt, analytic, () -> {
                k.avgPoolForward(xt, y, c.g(), include);
                return GradCheck.weightedSum(y, r);
            }, 0.5, 1e-3, 1e-3, 30, rnd);
        }
    }

    @Test
    void avgPoolCountIncludePadByHand() {
        Tensor x = backend.allocate(1, 1, 3, 3), y = backend.allocate(1, 1, 3, 3);
        SpatialReference.fill(x, 9f);
        k.avgPoolForward(x, y, ConvGeom.of(3, 1, 1), true);     // corners see 4 of 9 taps, edges 6
        assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, y.toHost());
        k.avgPoolForward(x, y, ConvGeom.of(3, 1, 1), false);    // divide by the taps inside: all 9
        assertArrayEquals(new float[] {9, 9, 9, 9, 9, 9, 9, 9, 9}, y.toHost());

        Tensor dy = backend.allocate(1, 1, 3, 3), dx = backend.allocate(1, 1, 3, 3);
        SpatialReference.fill(dy, 36f);
        k.avgPoolBackward(dy, dx, ConvGeom.of(3, 1, 1), false, false);
        // each window passes 36 / (taps inside) to each tap: corner windows 9, edge windows 6, the centre 4.
        // x(0,0) lies in windows (0,0),(0,1),(1,0),(1,1): 9+6+6+4; x(0,1) in six: 9+6+9+6+4+6; x(1,1) in all nine
        assertArrayEquals(new float[] {25, 40, 25, 40, 64, 40, 25, 40, 25}, dx.toHost());
    }

    // ---- global average pool -----------------------------------------------------------------------------------

    @Test
    void globalAvgPoolMatchesReferenceAndFiniteDifferences() {
        Random rnd = new Random(11);
        int n = 3, c = 4, h = 5, w = 7;
        float[] x = SpatialReference.randn(rnd, n * c * h * w), r = SpatialReference.randn(rnd, n * c);
        Tensor xt = backend.fromHost(x, n, c, h, w);
        Ref ref = Ref.of(n * c);
        for (int i = 0; i < x.length; i++) ref.add(i / (h * w), (double) x[i] / (h * w));
        for (int[] yShape : new int[][] {{n, c}, {n, c, 1, 1}}) {
            Tensor y = backend.allocate(yShape);
            k.globalAvgPoolForward(xt, y);
            assertScaled("global avg pool y", ref, y.toHost(), REL, ABS);
        }
        Tensor y = backend.allocate(n, c), dx = backend.allocate(n, c, h, w);
        k.globalAvgPoolBackward(backend.fromHost(r, n, c), dx, false);
        float[] analytic = dx.toHost();
        Ref dref = Ref.of(x.length);
        for (int i = 0; i < x.length; i++) dref.add(i, (double) r[i / (h * w)] / (h * w));
        assertScaled("global avg pool dx", dref, analytic, REL, ABS);
        GradCheck.check("global avg pool dx", xt, analytic, () -> {
            k.globalAvgPoolForward(xt, y);
            return GradCheck.weightedSum(y, r);
        }, 0.5, 1e-3, 1e-3, 30, rnd);
    }

    // ---- accumulate, determinism, arguments ----------------------------------------------------------------------

    /** Overwrite ignores (even NaN) content; accumulate adds to it within a few ulps (values below 10 here). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accumulateCases")
    void backwardAccumulateContract(Case c) {
        Random rnd = new Random(c.hashCode() + 12);
        Tensor x = backend.fromHost(SpatialReference.randn(rnd, size(c.x())), c.x());
        Tensor dy = backend.fromHost(SpatialReference.randn(rnd, size(c.y())), c.y());
        Tensor gdy = backend.fromHost(SpatialReference.randn(rnd, c.n() * c.c()), c.n(), c.c());
        float[] prior = SpatialReference.randn(rnd, size(c.x()));
        interface Backward { void run(Tensor dx, boolean accumulate); }
        Backward[] ops = {
                (dx, acc) -> k.maxPoolBackward(x, dy, dx, c.g(), acc),
                (dx, acc) -> k.avgPoolBackward(dy, dx, c.g(), false, acc),
                (dx, acc) -> k.avgPoolBackward(dy, dx, c.g(), true, acc),
                (dx, acc) -> k.globalAvgPoolBackward(gdy, dx, acc)};
        String[] names = {"max pool", "avg pool (exclude pad)", "avg pool (include pad)", "global avg pool"};
        for (int o = 0; o < ops.length; o++) {
            Tensor dx = backend.allocate(c.x());
            ops[o].run(dx, false);
            float[] clean = dx.toHost();
            SpatialReference.fill(dx, Float.NaN);
            ops[o].run(dx, false);
            assertArrayEquals(clean, dx.toHost(), names[o] + ": accumulate=false must overwrite");
            dx.fromHost(prior);
            ops[o].run(dx, true);
            double[] expected = new double[clean.length];
            for (int i = 0; i < clean.length; i++) expected[i] = (double) prior[i] + clean[i];
            GradCheck.assertClose(names[o] + ": accumulate=true must add", expected, dx.toHost(), 1e-6, 1e-6);
        }
    }

    @Test
    void resultsAreBitIdenticalRunToRun() {
        Case c = new Case(16, 16, 16, 16, ConvGeom.of(3, 2, 1));
        Random rnd = new Random(13);
        Tensor x = backend.fromHost(SpatialReference.randn(rnd, size(c.x())), c.x());
        Tensor dy = backend.fromHost(SpatialReference.randn(rnd, size(c.y())), c.y());
        float[][] first = runAll(c, x, dy);
        assertArrayEquals(first, runAll(c, x, dy));
    }

    private float[][] runAll(Case c, Tensor x, Tensor dy) {
        Tensor y1 = backend.allocate(c.y()), y2 = backend.allocate(c.y()), gy = backend.allocate(c.n(), c.c());
        Tensor dx1 = backend.allocate(c.x()), dx2 = backend.allocate(c.x());
        k.maxPoolForward(x, y1, c.g());
        k.avgPoolForward(x, y2, c.g(), false);
        k.globalAvgPoolForward(x, gy);
        k.maxPoolBackward(x, dy, dx1, c.g(), false);
        k.avgPoolBackward(dy, dx2, c.g(), false, false);
        return new float[][] {y1.toHost(), y2.toHost(), gy.toHost(), dx1.toHost(), dx2.toHost()};
    }

    @Test
    void badArgumentsAreRejectedByName() {
        ConvGeom g = ConvGeom.of(3, 2, 1);
        Tensor x = backend.allocate(2, 3, 8, 8), y = backend.allocate(2, 3, 4, 4), wrong = backend.allocate(2, 3, 8, 8);
        rejects("y must have shape [2, 3, 4, 4]", () -> k.maxPoolForward(x, wrong, g));
        rejects("dy must have shape [2, 3, 4, 4]", () -> k.maxPoolBackward(x, wrong, x, g, false));
        rejects("dx must have the shape of x", () -> k.maxPoolBackward(x, y, backend.allocate(2, 3, 8, 7), g, false));
        rejects("y must have shape [2, 3, 4, 4]", () -> k.avgPoolForward(x, wrong, g, false));
        rejects("dy must have shape [2, 3, 4, 4]", () -> k.avgPoolBackward(wrong, x, g, true, false));
        rejects("x: input side 8 is too small", () -> k.avgPoolForward(x, y, ConvGeom.of(11, 1, 0), false));
        rejects("g must not be null", () -> k.maxPoolForward(x, y, null));
        rejects("y must have shape [2, 3]", () -> k.globalAvgPoolForward(x, backend.allocate(2, 4)));
        rejects("dy must have shape [2, 3]", () -> k.globalAvgPoolBackward(backend.allocate(3, 3), x, false));
        rejects("x must not be null", () -> k.globalAvgPoolForward(null, y));
        try (Backend other = createBackend()) {
            rejects("x lives on backend", () -> k.maxPoolForward(other.allocate(2, 3, 8, 8), y, g));
            rejects("y lives on backend", () -> k.maxPoolForward(x, other.allocate(2, 3, 4, 4), g));
        }
    }

    private static void rejects(String messagePart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, "expected rejection: " + messagePart);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
    }
}
