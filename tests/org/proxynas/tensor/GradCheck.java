package org.proxynas.tensor;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient checks for the conformance suites. The objective is computed on the host in
 * double (usually L = sum(r * y) for a fixed random r, so dL/dy = r); each probed entry of the input tensor is
 * moved by +-h and the central difference is compared with the analytic gradient:
 * |numeric - analytic| <= atol + rtol * max(|numeric|, |analytic|).
 */
public final class GradCheck {
    private GradCheck() {}

    /** Fills a new tensor with N(0, 1) values. */
    public static Tensor randn(Backend backend, Random rnd, int... shape) {
        Tensor t = backend.allocate(shape);
        float[] h = new float[(int) t.size()];
        for (int i = 0; i < h.length; i++) h[i] = (float) rnd.nextGaussian();
        return t.fromHost(h);
    }

    /** Fills a new tensor with uniform values in [lo, hi). */
    public static Tensor uniform(Backend backend, Random rnd, float lo, float hi, int... shape) {
        Tensor t = backend.allocate(shape);
        float[] h = new float[(int) t.size()];
        for (int i = 0; i < h.length; i++) h[i] = lo + (hi - lo) * rnd.nextFloat();
        return t.fromHost(h);
    }

    /** sum_i w[i] * t[i] in double: the scalar objective whose gradient with respect to t is w. */
    public static double weightedSum(Tensor t, float[] w) {
        float[] h = t.toHost();
        double s = 0;
        for (int i = 0; i < h.length; i++) s += (double) h[i] * w[i];
        return s;
    }

    /**
     * Compares analytic[i] with the central difference of objective for up to maxProbes entries of input
     * (all entries when the tensor is small). The objective must recompute the forward pass from input.
     */
    public static void check(String what, Tensor input, float[] analytic, DoubleSupplier objective,
                             double h, double atol, double rtol, int maxProbes, Random rnd) {
        float[] x = input.toHost();
        if (analytic.length != x.length) fail(what + ": analytic gradient has " + analytic.length + " entries, input " + x.length);
        int probes = Math.min(maxProbes, x.length);
        double worst = 0;
        for (int p = 0; p < probes; p++) {
            int i = probes == x.length ? p : rnd.nextInt(x.length);
            float orig = x[i];
            x[i] = (float) (orig + h);
            input.fromHost(x);
            double plus = objective.getAsDouble();
            x[i] = (float) (orig - h);
            input.fromHost(x);
            double minus = objective.getAsDouble();
            x[i] = orig;
            input.fromHost(x);
            // The step actually taken in fp32 may differ from h; use it.
            double step = (double) (float) (orig + h) - (double) (float) (orig - h);
            double numeric = (plus - minus) / step;
            double err = Math.abs(numeric - analytic[i]);
            double bound = atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
            worst = Math.max(worst, err / bound);
            if (err > bound) {
                fail(String.format("%s: gradient entry %d: numeric %.6g vs analytic %.6g (|diff| %.3g > %.3g)",
                        what, i, numeric, analytic[i], err, bound));
            }
        }
    }

    /** Asserts two host arrays agree elementwise within atol + rtol * |expected|. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(String.format("%s: entry %d is %.7g, expected %.7g (|diff| %.3g)", what, i, actual[i], expected[i], err));
            }
        }
    }

    /** Same as {@link #assertClose(String, float[], float[], double, double)} against a double reference. */
    public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(String.format("%s: entry %d is %.7g, expected %.7g (|diff| %.3g)", what, i, actual[i], expected[i], err));
            }
        }
    }
}
