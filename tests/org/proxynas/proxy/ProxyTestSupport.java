package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.Relaxation;
import org.proxynas.tensor.Backend;

/** Shared helpers of the proxy tests: one small CPU backend, random encodings, finite differences. */
final class ProxyTestSupport {
    /** Two threads: the test machines are shared. Never closed (daemon pool), shared by every test class. */
    static final Backend CPU = new CpuBackend(2);

    private ProxyTestSupport() {}

    /** A relaxed encoding Ã = softmax((α + g)/τ) with α ~ N(0, 1). */
    static float[] randomEncoding(Rng rng, double tau) {
        return new Relaxation(tau).relax(ArchParams.gaussian(rng, 1.0), GumbelNoise.draw(rng)).encoding();
    }

    static float[][] randomEncodings(Rng rng, int n, double tau) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = randomEncoding(rng, tau);
        return out;
    }

    /** Mean over the 28 rows of Ã[row, op]. */
    static double meanOp(float[] enc, int op) {
        double s = 0;
        for (int r = 0; r < 28; r++) s += enc[r * 8 + op];
        return s / 28;
    }

    /** Central difference of f after moving x[i] by ±h (x restored afterwards). */
    static double centralDifference(double[] x, int i, double h, DoubleSupplier f) {
        double orig = x[i];
        x[i] = orig + h;
        double plus = f.getAsDouble();
        x[i] = orig - h;
        double minus = f.getAsDouble();
        x[i] = orig;
        return (plus - minus) / (2 * h);
    }

    /** Same for a float array; uses the step actually representable in fp32. */
    static double centralDifference(float[] x, int i, double h, DoubleSupplier f) {
        float orig = x[i];
        x[i] = (float) (orig + h);
        double plus = f.getAsDouble();
        float up = x[i];
        x[i] = (float) (orig - h);
        double minus = f.getAsDouble();
        float down = x[i];
        x[i] = orig;
        return (plus - minus) / ((double) up - (double) down);
    }

    /**
     * Finite-difference check of one entry of a piecewise-smooth function (ReLU networks): passes when the central
     * difference matches, or, if a kink lies within ±h, when one of the one-sided differences does (the side that
     * crossed no kink still sees the analytic slope). Returns whether the central difference matched, so callers
     * can bound how often the one-sided fallback was needed. Uses the steps actually representable in fp32.
     */
    static boolean kinkTolerantCheck(String what, float[] x, int i, double h, DoubleSupplier f, double analytic,
                                     double atol, double rtol) {
        float orig = x[i];
        double mid = f.getAsDouble();
        x[i] = (float) (orig + h);
        float up = x[i];
        double plus = f.getAsDouble();
        x[i] = (float) (orig - h);
        float down = x[i];
        double minus = f.getAsDouble();
        x[i] = orig;
        double central = (plus - minus) / ((double) up - (double) down);
        double forward = (plus - mid) / ((double) up - orig), backward = (mid - minus) / ((double) orig - down);
        if (close(central, analytic, atol, rtol)) return true;
        if (close(forward, analytic, 2 * atol, rtol) || close(backward, analytic, 2 * atol, rtol)) return false;
        fail(String.format("%s: analytic %.7g matches neither the central difference %.7g nor the one-sided %.7g / %.7g",
                what, analytic, central, forward, backward));
        return false;
    }

    /** Same for a double argument. */
    static boolean kinkTolerantCheck(String what, double[] x, int i, double h, DoubleSupplier f, double analytic,
                                     double atol, double rtol) {
        double orig = x[i];
        double mid = f.getAsDouble();
        x[i] = orig + h;
        double plus = f.getAsDouble();
        x[i] = orig - h;
        double minus = f.getAsDouble();
        x[i] = orig;
        double central = (plus - minus) / (2 * h), forward = (plus - mid) / h, backward = (mid - minus) / h;
        if (close(central, analytic, atol, rtol)) return true;
        if (close(forward, analytic, 2 * atol, rtol) || close(backward, analytic, 2 * atol, rtol)) return false;
        fail(String.format("%s: analytic %.7g matches neither the central difference %.7g nor the one-sided %.7g / %.7g",
                what, analytic, central, forward, backward));
        return false;
    }

    private static boolean close(double numeric, double analytic, double atol, double rtol) {
        return Math.abs(numeric - analytic) <= atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic));
    }

    /** |numeric − analytic| ≤ atol + rtol·max(|numeric|, |analytic|), failing with a message naming the entry. */
    static void assertGradClose(String what, double numeric, double analytic, double atol, double rtol) {
        double err = Math.abs(numeric - analytic);
        double bound = atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic));
        if (!(err <= bound)) {
            fail(String.format("%s: numeric %.7g vs analytic %.7g (|diff| %.3g > %.3g)", what, numeric, analytic, err, bound));
        }
    }

    /**
     * Directional check of parameter gradients: for a random direction d over {@code params} (host copies taken
     * now), compares (L(θ + h d) − L(θ − h d)) / 2h with Σ grad·d. {@code loss} recomputes the loss from the current
     * parameter values; {@code analyticGrads} must already hold the gradients at θ.
     */
    static void directionalCheck(String what, List<TensorParam> params, DoubleSupplier loss, double h, double atol,
                                 double rtol, Rng rng) {
        int n = params.size();
        float[][] theta = new float[n][], dir = new float[n][];
        double analytic = 0;
        for (int p = 0; p < n; p++) {
            theta[p] = params.get(p).value().toHost();
            float[] g = params.get(p).grad().toHost();
            dir[p] = new float[theta[p].length];
            for (int i = 0; i < dir[p].length; i++) {
                dir[p][i] = (float) rng.nextGaussian();
                analytic += (double) g[i] * dir[p][i];
            }
        }
        double plus = evalShifted(params, theta, dir, h, loss);
        double minus = evalShifted(params, theta, dir, -h, loss);
        for (int p = 0; p < n; p++) params.get(p).value().fromHost(theta[p]);
        assertGradClose(what, (plus - minus) / (2 * h), analytic, atol, rtol);
    }

    /**
     * Directional check with a unit-norm direction and a total step of {@code eps}: along the analytic gradient
     * itself (the slope must equal |g|: catches scaling errors and, to second order, direction errors), or along a
     * random unit direction (first-order sensitive to any error component along it). Keeping the total step small
     * matters for networks with many ReLU kinks, where the central difference only converges for small steps.
     */
    static void unitDirectionalCheck(String what, List<TensorParam> params, DoubleSupplier loss, double eps, double atol,
                                     double rtol, Rng rng, boolean alongGradient) {
        int n = params.size();
        float[][] theta = new float[n][], grad = new float[n][];
        double[][] dir = new double[n][];
        double norm = 0;
        for (int p = 0; p < n; p++) {
            theta[p] = params.get(p).value().toHost();
            grad[p] = params.get(p).grad().toHost();
            dir[p] = new double[theta[p].length];
            for (int i = 0; i < dir[p].length; i++) {
                dir[p][i] = alongGradient ? grad[p][i] : rng.nextGaussian();
                norm += dir[p][i] * dir[p][i];
            }
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0)) return; // an all-zero gradient has no direction; the random check covers it
        double analytic = 0;
        float[][] unit = new float[n][];
        for (int p = 0; p < n; p++) {
            unit[p] = new float[dir[p].length];
            for (int i = 0; i < unit[p].length; i++) {
                double u = dir[p][i] / norm;
                unit[p][i] = (float) u;
                analytic += grad[p][i] * u;
            }
        }
        double plus = evalShifted(params, theta, unit, eps, loss);
        double minus = evalShifted(params, theta, unit, -eps, loss);
        for (int p = 0; p < n; p++) params.get(p).value().fromHost(theta[p]);
        assertGradClose(what + (alongGradient ? " (along the gradient)" : " (random direction)"),
                (plus - minus) / (2 * eps), analytic, atol, rtol);
    }

    private static double evalShifted(List<TensorParam> params, float[][] theta, float[][] dir, double h, DoubleSupplier loss) {
        for (int p = 0; p < params.size(); p++) {
            float[] v = new float[theta[p].length];
            for (int i = 0; i < v.length; i++) v[i] = (float) (theta[p][i] + h * dir[p][i]);
            params.get(p).value().fromHost(v);
        }
        return loss.getAsDouble();
    }
}
