package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

class RelaxationTest {
    private static int argmaxRow(double[] x, int row) {
        int o = row * 8, best = 0;
        for (int k = 1; k < 8; k++) if (x[o + k] > x[o + best]) best = k;
        return best;
    }

    @Test
    void rowsSumToOneAndStayFiniteForLargeLogits() {
        Rng rng = new Rng(11);
        ArchParams alpha = ArchParams.gaussian(rng, 100.0); // logits ~1000: overflow without max subtraction
        RelaxedArch r = new Relaxation().relax(alpha, GumbelNoise.draw(rng));
        double[] p = r.probabilities();
        for (int row = 0; row < 28; row++) {
            double s = 0;
            for (int k = 0; k < 8; k++) {
                assertTrue(Double.isFinite(p[row * 8 + k]) && p[row * 8 + k] >= 0);
                s += p[row * 8 + k];
            }
            assertEquals(1.0, s, 1e-12, "row " + row);
        }
    }

    @Test
    void sampledPathIsArgmaxOfAlphaPlusNoise() {
        Rng rng = new Rng(5);
        ArchParams alpha = ArchParams.init(rng);
        GumbelNoise g = GumbelNoise.draw(rng);
        RelaxedArch r = new Relaxation(1e-3).relax(alpha, g);
        double[] sum = new double[ArchParams.SIZE];
        for (int i = 0; i < sum.length; i++) sum[i] = (double) alpha.flat()[i] + g.toArray()[i];
        int nones = 0;
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < 14; e++) {
                int row = cell.ordinal() * 14 + e;
                int k = argmaxRow(sum, row);
                assertEquals(k, r.chosenOp(cell, e), cell + " edge " + e);
                assertEquals(r.prob(cell, e, k), r.edgeWeight(cell, e));
                if (k == 0) nones++;
                // at small tau the winner takes (almost) all unless the top two are within ~tau
                double second = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 8; j++) if (j != k) second = Math.max(second, sum[row * 8 + j]);
                if (sum[row * 8 + k] - second > 0.02) assertTrue(r.edgeWeight(cell, e) > 0.99);
            }
        }
        SampledPath path = r.path();
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < 14; e++) {
                assertEquals(r.chosenOp(cell, e), path.opIndex(cell, e));
                assertEquals((float) r.edgeWeight(cell, e), path.weight(cell, e));
            }
        }
        assertTrue(nones < 28); // sanity: not degenerate
    }

    @Test
    void zeroNoiseScaleGivesArgmaxOfAlpha() {
        Rng rng = new Rng(8);
        ArchParams alpha = RandomArchitectures.alpha(rng);
        GumbelNoise g = GumbelNoise.draw(rng);
        RelaxedArch withZeroScale = new Relaxation().relax(alpha, g, ArchParams.zeros());
        double[] a = alpha.toDoubles();
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < 14; e++) {
                assertEquals(argmaxRow(a, cell.ordinal() * 14 + e), withZeroScale.chosenOp(cell, e));
            }
        }
        assertEquals(withZeroScale, new Relaxation().relax(alpha, GumbelNoise.zeros()));
        assertEquals(new Relaxation().relax(alpha, g.scaled(ArchParams.zeros())), withZeroScale);
        // and the unscaled noise actually changes the path (otherwise the check above proves nothing)
        assertTrue(!new Relaxation().relax(alpha, g).path().sameOps(withZeroScale.path()));
    }

    @Test
    void scaleOneEqualsNoScaleAndScaledNoiseEqualsScale() {
        Rng rng = new Rng(9);
        ArchParams alpha = ArchParams.init(rng);
        GumbelNoise g = GumbelNoise.draw(rng);
        ArchParams ones = ArchParams.zeros();
        java.util.Arrays.fill(ones.flat(), 1f);
        Relaxation rel = new Relaxation();
        assertEquals(rel.relax(alpha, g, null), rel.relax(alpha, g, ones));
        ArchParams s = ArchParams.zeros();
        for (int i = 0; i < ArchParams.SIZE; i++) s.flat()[i] = rng.nextFloat();
        assertArrayEquals(rel.relax(alpha, g, s).probabilities(), rel.relax(alpha, g.scaled(s)).probabilities(), 1e-6);
    }

    /**
     * J(α) = Σ c ⊙ Ã(α) with random c; analytic dJ/dα vs central differences in double, h = 1e-6.
     * Tolerance: |analytic − numeric| ≤ 1e-6 + 1e-5·|numeric| per entry.
     */
    @Test
    void gradientMatchesCentralFiniteDifferences() {
        for (double tau : new double[] {0.1, 0.5}) {
            Rng rng = new Rng(42);
            double[] alpha = new double[ArchParams.SIZE], noise = new double[ArchParams.SIZE];
            double[] scale = new double[ArchParams.SIZE], c = new double[ArchParams.SIZE];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = 0.05 * rng.nextGaussian();
                noise[i] = 0.1 * rng.nextGumbel();
                scale[i] = rng.nextDouble();
                c[i] = rng.nextGaussian();
            }
            Relaxation rel = new Relaxation(tau);
            double[] analytic = rel.relax(alpha, noise, scale).backward(c);
            double h = 1e-6, maxAbs = 0;
            for (int i = 0; i < alpha.length; i++) {
                double keep = alpha[i];
                alpha[i] = keep + h;
                double jp = dot(c, rel.relax(alpha, noise, scale).probabilities());
                alpha[i] = keep - h;
                double jm = dot(c, rel.relax(alpha, noise, scale).probabilities());
                alpha[i] = keep;
                double numeric = (jp - jm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6 + 1e-5 * Math.abs(numeric), "tau " + tau + " entry " + i);
                maxAbs = Math.max(maxAbs, Math.abs(numeric));
            }
            assertTrue(maxAbs > 0.1, "gradients too small to test anything: " + maxAbs);
        }
    }

    @Test
    void floatBackwardAndEdgeWeightBackwardAgree() {
        Rng rng = new Rng(1);
        ArchParams alpha = ArchParams.gaussian(rng, 0.05);
        RelaxedArch r = new Relaxation().relax(alpha, GumbelNoise.draw(rng).scaled(ArchParams.gaussian(rng, 0.1)));
        float[] dA = new float[ArchParams.SIZE];
        double[] dAd = new double[ArchParams.SIZE];
        for (int i = 0; i < dA.length; i++) { dA[i] = (float) rng.nextGaussian(); dAd[i] = dA[i]; }
        double[] ref = r.backward(dAd);
        float[] f = r.backward(dA).flat();
        for (int i = 0; i < f.length; i++) assertEquals(ref[i], f[i], 1e-5 * Math.max(1, Math.abs(ref[i])));

        double[] dw = new double[28];
        double[] sparse = new double[ArchParams.SIZE];
        for (int row = 0; row < 28; row++) {
            dw[row] = rng.nextGaussian();
            CellType cell = row < 14 ? CellType.NORMAL : CellType.REDUCE;
            sparse[row * 8 + r.chosenOp(cell, row % 14)] = dw[row];
        }
        assertArrayEquals(r.backward(sparse), r.backwardEdgeWeights(dw), 0.0);
        // a row's gradient sums to zero (softmax is shift invariant)
        double[] g = r.backward(dAd);
        for (int row = 0; row < 28; row++) {
            double s = 0;
            for (int k = 0; k < 8; k++) s += g[row * 8 + k];
            assertEquals(0.0, s, 1e-9 * Math.max(1, Math.abs(g[row * 8])));
        }
    }

    @Test
    void sameSeedSameNoiseAndSample() {
        GumbelNoise a = GumbelNoise.draw(new Rng(77));
        GumbelNoise b = GumbelNoise.draw(new Rng(77));
        assertEquals(a, b);
        assertNotEquals(a, GumbelNoise.draw(new Rng(78)));
        ArchParams alpha = ArchParams.init(new Rng(1));
        assertEquals(new Relaxation().relax(alpha, a).path(), new Relaxation().relax(alpha, b).path());
        assertEquals(a, GumbelNoise.fromFlat(a.toArray()));
    }

    @Test
    void rejectsBadTau() {
        assertThrows(IllegalArgumentException.class, () -> new Relaxation(0));
        assertThrows(IllegalArgumentException.class, () -> new Relaxation(Double.NaN));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
