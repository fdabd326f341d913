package org.proxynas.proxy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.proxynas.space.ArchParams;
import org.proxynas.space.RelaxedArch;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * A linear proxy (docs/method.md#ridge): ridge regression of logit(y/2) on the 224-entry encoding, so that
 * ŷ = 2·sigmoid(w·Ã + b) keeps the (0, 2) range of the other regressors. Every fit is exact, on the whole memory, and
 * chooses its penalty λ from {@link #PENALTIES} by the exact leave-one-out error on that memory; nothing carries over from
 * one fit to the next, so there are no epochs, no learning rate and no warm start. The landscape's gradient with
 * respect to Ã is w times a positive number: the α step moves every edge towards the ops the fit scores lowest.
 *
 * <p>The fit runs on the host in double precision through the n×n dual system (n = memory size, 100 by default):
 * a few milliseconds, too small for a device to help. Parameters are kept in float, as the other regressors', so a
 * saved and reloaded model predicts exactly what it did before.
 */
public final class RidgeRegressor implements Regressor {
    public static final String FILE_KIND = "ridge-regressor";
    /** The λ grid, 10^-2 .. 10^3 in half decades; ties go to the smaller λ (the grid's order). */
    public static final double[] PENALTIES = {1e-2, 3.1623e-2, 1e-1, 3.1623e-1, 1, 3.1623, 10, 31.623, 100, 316.23, 1000};
    /** Labels are clamped to [CLAMP, 2 - CLAMP] before the logit: a label outside (0, 2) cannot be predicted. */
    static final double CLAMP = 1e-3;

    private final Backend backend;
    private float[] weight = new float[ArchParams.SIZE];
    private float bias;
    private double penalty = Double.NaN;
    private int fits;

    /** A zero model (ŷ = 1 everywhere) until the first fit. The backend only carries the parameters to and from files. */
    public RidgeRegressor(Backend backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.backend = backend;
    }

    @Override public String kind() { return "ridge"; }

    @Override public boolean fitsExactly() { return true; }

    /** The λ the last fit chose (NaN before the first fit). */
    public double penalty() { return penalty; }

    /** Fits so far. */
    public int fits() { return fits; }

    @Override
    public double[] predict(float[][] encodings) {
        if (encodings.length == 0) throw new IllegalArgumentException("empty batch");
        double[] out = new double[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            Encodings.check(encodings[i], "encoding " + i);
            out[i] = 2 * sigmoid(logit(encodings[i]));
        }
        return out;
    }

    /** Replaces the model by the exact fit to this batch; returns the squared error the model had on it before. */
    @Override
    public double trainStep(float[][] encodings, double[] labels) {
        Fit f = fit(encodings, labels); // checks every encoding and label
        double before = meanSquaredError(encodings, labels);
        weight = f.weight;
        bias = f.bias;
        penalty = f.penalty;
        fits++;
        return before;
    }

    @Override
    public AlphaGradient alphaGradient(RelaxedArch arch) {
        float[] x = arch.encoding();
        double s = sigmoid(logit(x)), y = 2 * s;
        // J = ŷ², ŷ = 2σ(z), z = w·Ã + b: dJ/dÃ = 2ŷ · 2σ(1-σ) · w
        double scale = 2 * y * 2 * s * (1 - s);
        double[] dJdA = new double[x.length];
        for (int i = 0; i < x.length; i++) dJdA[i] = scale * weight[i];
        return new AlphaGradient(y, arch.backward(dJdA));
    }

    private double logit(float[] x) {
        double z = bias;
        for (int i = 0; i < x.length; i++) z += (double) weight[i] * x[i];
        return z;
    }

    /** Of the current model, on checked input. */
    private double meanSquaredError(float[][] encodings, double[] labels) {
        double sum = 0;
        for (int i = 0; i < encodings.length; i++) {
            double e = 2 * sigmoid(logit(encodings[i])) - labels[i];
            sum += e * e;
        }
        return sum / encodings.length;
    }

    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    /** The model an exact fit produces. */
    private record Fit(float[] weight, float bias, double penalty) {}

    /**
     * Centred features and targets of one fit, and K + 11ᵀ with K = XXᵀ the Gram matrix of the dual system (the
     * shift is {@link Dual}'s, the same for every λ).
     */
    private record Centred(double[][] x, double[] t, double[] mean, double tMean, double[][] shiftedGram) {
        static Centred of(float[][] encodings, double[] labels) {
            int n = encodings.length, d = ArchParams.SIZE;
            if (n == 0) throw new IllegalArgumentException("cannot fit the ridge regressor on an empty memory");
            if (labels.length != n) throw new IllegalArgumentException(n + " encodings but " + labels.length + " labels");
            double[] mean = new double[d], t = new double[n];
            double tMean = 0;
            for (int i = 0; i < n; i++) {
                Encodings.check(encodings[i], "encoding " + i);
                if (!Double.isFinite(labels[i])) throw new IllegalArgumentException("label " + i + " is " + labels[i]);
                double half = Math.clamp(labels[i], CLAMP, 2 - CLAMP) / 2;
                t[i] = Math.log(half / (1 - half));
                tMean += t[i];
                for (int j = 0; j < d; j++) mean[j] += encodings[i][j];
            }
            tMean /= n;
            for (int j = 0; j < d; j++) mean[j] /= n;
            double[][] x = new double[n][d];
            for (int i = 0; i < n; i++) {
                t[i] -= tMean;
                for (int j = 0; j < d; j++) x[i][j] = encodings[i][j] - mean[j];
            }
            double[][] shifted = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += x[i][c] * x[j][c];
                    shifted[i][j] = s + 1;
                    shifted[j][i] = s + 1;
                }
            }
            return new Centred(x, t, mean, tMean, shifted);
        }
    }

    /**
     * The dual solution a = (K + λI)⁻¹t and the exact leave-one-out residuals of ridge with an unpenalised intercept.
     * The fit's hat matrix is H = 11ᵀ/n + K(K + λI)⁻¹ (K is centred, so K1 = 0), the residual is λa, and the
     * leave-one-out residual r_i / (1 − H_ii) = a_i / R_ii with R = (K + λI)⁻¹ − 11ᵀ/(nλ), the inverse on the
     * complement of 1. R is read from B = K + λI + 11ᵀ, whose inverse is R + 11ᵀ/(n(λ + n)): B is well conditioned
     * where K + λI has the eigenvalue λ along 1, and a = B⁻¹t because t ⊥ 1. (Centring with all samples and
     * dividing by (K + λI)⁻¹_ii instead would leak the left-out sample through the means: with fewer samples than
     * features it predicts every left-out label exactly and always picks the smallest λ.)
     */
    private record Dual(double[] a, double[] looResiduals) {
        static Dual solve(Centred c, double lambda) {
            int n = c.t().length;
            double[][] l = cholesky(c.shiftedGram(), lambda);
            double[] a = RidgeRegressor.solve(l, c.t()), inv = inverseDiagonal(l), r = new double[n];
            double ones = 1 / (n * (lambda + n));
            for (int i = 0; i < n; i++) r[i] = a[i] / (inv[i] - ones);
            return new Dual(a, r);
        }

        double looError() {
            double s = 0;
            for (double r : looResiduals) s += r * r;
            return s;
        }
    }

    /** Leave-one-out residuals in logit space at one λ (each sample against the fit, intercept included, on the others). */
    static double[] leaveOneOutResiduals(float[][] encodings, double[] labels, double lambda) {
        return Dual.solve(Centred.of(encodings, labels), lambda).looResiduals();
    }

    /**
     * Centres features and targets (the intercept is not penalised), solves the dual system (K + λI)a = t by
     * Cholesky for every λ of the grid, and keeps w = Xᵀa at the λ with the smallest sum of squared leave-one-out
     * residuals.
     */
    private static Fit fit(float[][] encodings, double[] labels) {
        Centred c = Centred.of(encodings, labels);
        Dual best = null;
        double bestPenalty = Double.NaN;
        for (double lambda : PENALTIES) {
            Dual d = Dual.solve(c, lambda);
            if (Double.isFinite(d.looError()) && (best == null || d.looError() < best.looError())) {
                best = d;
                bestPenalty = lambda;
            }
        }
        if (best == null) {
            // one sample leaves nothing to validate on: the most shrinkage (w = 0 then anyway, t being centred)
            bestPenalty = PENALTIES[PENALTIES.length - 1];
            best = Dual.solve(c, bestPenalty);
        }
        int n = encodings.length, dim = ArchParams.SIZE;
        float[] w = new float[dim];
        double b = c.tMean();
        for (int j = 0; j < dim; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += c.x()[i][j] * best.a()[i];
            w[j] = (float) s;
            b -= (double) w[j] * c.mean()[j];
        }
        return new Fit(w, (float) b, bestPenalty);
    }

    /** Lower-triangular L with LLᵀ = M + λI, M positive semi-definite (so the sum is definite for λ > 0). */
    private static double[][] cholesky(double[][] m, double lambda) {
        int n = m.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = m[i][j] + (i == j ? lambda : 0);
                for (int c = 0; c < j; c++) s -= l[i][c] * l[j][c];
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    /** (LLᵀ)⁻¹ t by forward and back substitution. */
    private static double[] solve(double[][] l, double[] t) {
        int n = t.length;
        double[] y = new double[n], a = new double[n];
        for (int i = 0; i < n; i++) {
            double s = t[i];
            for (int c = 0; c < i; c++) s -= l[i][c] * y[c];
            y[i] = s / l[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int c = i + 1; c < n; c++) s -= l[c][i] * a[c];
            a[i] = s / l[i][i];
        }
        return a;
    }

    /** diag((LLᵀ)⁻¹): entry j is the squared norm of column j of L⁻¹ (forward substitution, zero above j). */
    private static double[] inverseDiagonal(double[][] l) {
        int n = l.length;
        double[] diag = new double[n], col = new double[n];
        for (int j = 0; j < n; j++) {
            double s2 = 0;
            for (int i = j; i < n; i++) {
                double s = i == j ? 1 : 0;
                for (int c = j; c < i; c++) s -= l[i][c] * col[c];
                col[i] = s / l[i][i];
                s2 += col[i] * col[i];
            }
            diag[j] = s2;
        }
        return diag;
    }

    // ---- files -------------------------------------------------------------------------------------------------

    @Override
    public void save(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("penalty", Double.toString(penalty));
        meta.put("fits", Integer.toString(fits));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", backend.fromHost(weight.clone(), 1, ArchParams.SIZE));
        tensors.put("bias", backend.fromHost(new float[] {bias}, 1));
        ParamFile.write(file, FILE_KIND, meta, tensors);
    }

    @Override
    public void load(Path file) throws IOException {
        ParamFile.Contents c = ParamFile.read(file, FILE_KIND);
        double p;
        int f;
        try {
            p = Double.parseDouble(ParamFile.meta(file, c, "penalty"));
            f = Integer.parseInt(ParamFile.meta(file, c, "fits"));
        } catch (NumberFormatException e) {
            throw new ProxyFileException(file, "field \"penalty\" or \"fits\" is not a number");
        }
        Tensor w = backend.allocate(1, ArchParams.SIZE), b = backend.allocate(1);
        ParamFile.copyInto(file, c, Map.of("weight", w, "bias", b));
        weight = w.toHost();
        bias = b.toHost()[0];
        penalty = p;
        fits = f;
    }
}
