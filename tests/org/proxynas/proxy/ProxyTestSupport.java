package org.proxynas.proxy;

import org.proxynas.nn.Param;
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
    static void directionalCheck(String what, List<Param> params, DoubleSupplier loss, double h, double atol,
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

    private static double evalShifted(List<Param> params, float[][] theta, float[][] dir, double h, DoubleSupplier loss) {
        for (int p = 0; p < params.size(); p++) {
            float[] v = new float[theta[p].length];
            for (int i = 0; i < v.length; i++) v[i] = (float) (theta[p][i] + h * dir[p][i]);
            params.get(p).value().fromHost(v);
        }
        return loss.getAsDouble();
    }

    /**
     * Per-tensor check of parameter gradients that a dropped, zeroed or mis-scaled gradient cannot pass: for each
     * tensor, the {@code top} entries with the largest analytic gradient and {@code random} entries drawn at random
     * are moved one at a time by ±h (kink-tolerant, {@link #kinkTolerantCheck}) and compared with the analytic
     * entry. The tensor must also show signal: the largest numeric slope among its sampled entries must exceed
     * {@code 10·atol}, so that a tensor whose gradient was lost (analytic 0 where the loss does move) fails instead
     * of passing inside the noise. Tensors the caller names {@code flat} (a bias right before a batch-norm, whose
     * gradient is 0 by construction) must instead stay below that bound. 
     * {@code loss} recomputes the loss (and overwrites the gradients); the analytic gradients are read first.
     */
    static void perTensorEntryCheck(String what, List<Param> params, DoubleSupplier loss, double h, double atol,
                                        double rtol, int top, int random, Rng rng,
                                        java.util.function.Predicate<String> flat) {
        loss.getAsDouble();
        float[][] grads = new float[params.size()][];
        for (int p = 0; p < params.size(); p++) grads[p] = params.get(p).grad().toHost();
        for (int p = 0; p < params.size(); p++) {
            Param param = params.get(p);
            float[] g = grads[p], v = param.value().toHost();
            java.util.Set<Integer> entries = new java.util.LinkedHashSet<>();
            Integer[] order = new Integer[g.length];
            for (int i = 0; i < g.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(g[b]), Math.abs(g[a])));
            for (int i = 0; i < Math.min(top, g.length); i++) entries.add(order[i]);
            for (int i = 0; i < random && entries.size() < g.length; i++) entries.add(rng.nextInt(g.length));
            double maxNumeric = 0;
            for (int i : entries) {
                DoubleSupplier f = () -> {
                    param.value().fromHost(v);
                    return loss.getAsDouble();
                };
                kinkTolerantCheck(what + " " + param.name() + "[" + i + "]", v, i, h, f, g[i], atol, rtol);
                param.value().fromHost(v);
                maxNumeric = Math.max(maxNumeric, Math.abs(centralDifference(v, i, h, f)));
                param.value().fromHost(v);
            }
            if (flat.test(param.name())) {
                if (!(maxNumeric <= 10 * atol)) {
                    fail(String.format("%s %s: expected a flat loss (bias before a batch-norm), but a slope is %.3g", what,
                            param.name(), maxNumeric));
                }
            } else if (!(maxNumeric > 10 * atol)) {
                fail(String.format("%s %s: the loss barely moves along the sampled entries (largest slope %.3g <= 10 * atol %.3g): "
                        + "the check cannot tell a lost gradient from noise here", what, param.name(), maxNumeric, 10 * atol));
            }
        }
    }
}
