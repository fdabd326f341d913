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

    private static double evalShifted(List<TensorParam> params, float[][] theta, float[][] dir, double h, DoubleSupplier loss) {
        for (int p = 0; p < params.size(); p++) {
            float[] v = new float[theta[p].length];
            for (int i = 0; i < v.length; i++) v[i] = (float) (theta[p][i] + h * dir[p][i]);
            params.get(p).value().fromHost(v);
        }
        return loss.getAsDouble();
    }
}
