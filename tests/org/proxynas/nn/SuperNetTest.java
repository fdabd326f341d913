package org.proxynas.nn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuperNetTest {
    private final Backend backend = new CpuBackend(2);

    @AfterAll
    void close() { backend.close(); }

    @Test
    void referenceSupernetHasThePublishedWeightCount() {
        SuperNet net = new SuperNet(backend, SuperNetConfig.reference(), new Rng(1));
        // DARTS's search network (C=16, L=8, 10 classes) has 1,930,618 weights, alphas excluded
        // (the PyTorch peer checks the same number).
        assertEquals(1_930_618, net.parameterCount());
    }

    private static SuperNet tiny(Backend backend, long seed) {
        return new SuperNet(backend, new SuperNetConfig(2, 3, 3, 3, 3), new Rng(seed));
    }

    private static float[][] randomMixture(Rng rng) {
        float[][] w = new float[14][8];
        for (float[] row : w) {
            double sum = 0;
            for (int k = 0; k < 8; k++) { row[k] = (float) Math.exp(rng.nextGaussian()); sum += row[k]; }
            for (int k = 0; k < 8; k++) row[k] /= (float) sum;
        }
        return w;
    }

    private record Problem(Tensor x, Tensor labels) {}

    private Problem problem(Rng rng, int n) {
        float[] img = new float[n * 3 * 8 * 8];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        float[] lab = new float[n];
        for (int i = 0; i < n; i++) lab[i] = rng.nextInt(3);
        return new Problem(backend.fromHost(img, n, 3, 8, 8), backend.fromHost(lab, n));
    }

    private double loss(SuperNet net, Problem p) {
        Tensor logits = net.forward(p.x());
        return backend.kernels().softmaxCrossEntropy(logits, p.labels(), null, 1f).loss();
    }

    private void lossAndBackward(SuperNet net, Problem p) {
        net.zeroGrad();
        Tensor logits = net.forward(p.x());
        Tensor dlogits = backend.allocateLike(logits);
        LossStats s = backend.kernels().softmaxCrossEntropy(logits, p.labels(), dlogits, 1f);
        assertTrue(Double.isFinite(s.loss()));
        net.backward(dlogits);
    }

    /**
     * Directional finite differences per parameter tensor of the last cell and the classifier:
     * (L(p + h d) - L(p - h d)) / 2h against <grad, d> for a random unit direction d. Tolerance: |diff| <= 2e-3 +
     * 3% of the larger value; with h = 1e-3 the fp32 rounding of a loss near 1 contributes about 1e-4. Deeper
     * parameters sit behind dozens of ReLU, max-pool and small-batch BN layers whose kinks near the evaluation point
     * make fp32 central differences unreliable; TorchReferenceTest checks every parameter against PyTorch instead.
     */
    private void checkParamGradients(SuperNet net, Problem p, Rng rng) {
        lossAndBackward(net, p);
        String top = "cells." + (net.config().layers() - 1) + ".";
        List<Param> params = net.params().stream().filter(q -> q.name().startsWith(top) || q.name().startsWith("classifier")).toList();
        assertTrue(params.size() > 10, "the top cell and classifier have parameters");
        int checked = 0;
        for (Param param : params) {
            float[] grad = param.grad().toHost();
            float[] value = param.value().toHost();
            double[] d = new double[value.length];
            double norm = 0;
            for (int i = 0; i < d.length; i++) { d[i] = rng.nextGaussian(); norm += d[i] * d[i]; }
            norm = Math.sqrt(norm);
            double analytic = 0;
            for (int i = 0; i < d.length; i++) { d[i] /= norm; analytic += d[i] * grad[i]; }
            double h = 1e-3;
            float[] moved = new float[value.length];
            for (int i = 0; i < d.length; i++) moved[i] = (float) (value[i] + h * d[i]);
            param.value().fromHost(moved);
            double plus = loss(net, p);
            for (int i = 0; i < d.length; i++) moved[i] = (float) (value[i] - h * d[i]);
            param.value().fromHost(moved);
            double minus = loss(net, p);
            param.value().fromHost(value);
            double numeric = (plus - minus) / (2 * h);
            double bound = 2e-3 + 0.03 * Math.max(Math.abs(numeric), Math.abs(analytic));
            assertTrue(Math.abs(numeric - analytic) <= bound,
                    param.name() + ": numeric " + numeric + " vs analytic " + analytic);
            checked++;
        }
        assertEquals(params.size(), checked);
    }

    @Test
    void mixtureModeGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(7);
        SuperNet net = tiny(backend, 3);
        float[][] wn = randomMixture(rng), wr = randomMixture(rng);
        net.setMixture(wn, wr);
        Problem p = problem(rng, 4);
        checkParamGradients(net, p, rng);

        // Mixture-weight gradient: perturb single weights of both cell types.
        lossAndBackward(net, p);
        double[][] gn = net.mixtureGrad(false), gr = net.mixtureGrad(true);
        int[][] probes = {{0, 4}, {3, 1}, {7, 7}, {13, 2}, {5, 3}, {9, 5}};
        for (boolean reduction : new boolean[] {false, true}) {
            float[][] w = reduction ? wr : wn;
            double[][] g = reduction ? gr : gn;
            for (int[] pr : probes) {
                int e = pr[0], k = pr[1];
                float orig = w[e][k];
                double h = 1e-3;
                w[e][k] = (float) (orig + h);
                net.setMixture(wn, wr);
                double plus = loss(net, p);
                w[e][k] = (float) (orig - h);
                net.setMixture(wn, wr);
                double minus = loss(net, p);
                w[e][k] = orig;
                net.setMixture(wn, wr);
                double numeric = (plus - minus) / (2 * h);
                double bound = 2e-3 + 0.03 * Math.max(Math.abs(numeric), Math.abs(g[e][k]));
                assertTrue(Math.abs(numeric - g[e][k]) <= bound,
                        (reduction ? "reduce" : "normal") + " weight grad [" + e + "][" + k + "]: numeric " + numeric + " vs " + g[e][k]);
            }
        }
    }

    @Test
    void singlePathModeGradientsMatchFiniteDifferencesAndTouchOnlyTheSampledOps() {
        Rng rng = new Rng(11);
        SuperNet net = tiny(backend, 5);
        int[] opsN = {4, 5, 6, 7, 3, 1, 2, 4, 0, 5, 6, 7, 3, 4};
        int[] opsR = {3, 1, 2, 4, 5, 6, 7, 0, 4, 3, 2, 1, 5, 6};
        float[] wN = new float[14], wR = new float[14];
        for (int e = 0; e < 14; e++) { wN[e] = 0.5f + 0.5f * rng.nextFloat(); wR[e] = 0.5f + 0.5f * rng.nextFloat(); }
        net.setPath(opsN, wN, opsR, wR);
        Problem p = problem(rng, 4);
        checkParamGradients(net, p, rng);
        lossAndBackward(net, p);
        // Ops that were not sampled must receive no gradient: edge e's op k lives under "cells.i.edgeE.opK".
        for (Param param : net.params()) {
            String n = param.name();
            if (!n.contains(".edge")) continue;
            String[] parts = n.split("\\.");
            int cell = Integer.parseInt(parts[1]);
            int edge = Integer.parseInt(parts[2].substring(4));
            int op = Integer.parseInt(parts[3].substring(2));
            boolean reduction = net.config().isReduction(cell);
            boolean sampled = (reduction ? opsR : opsN)[edge] == op;
            double sq = backend.kernels().sumSquares(param.grad());
            if (sampled) continue;
            assertEquals(0.0, sq, n + " was not sampled but has a gradient");
        }
    }

    @Test
    void evalModeUsesRunningStatisticsAndReleasesBuffers() {
        Rng rng = new Rng(2);
        SuperNet net = tiny(backend, 9);
        net.setMixture(randomMixture(rng), randomMixture(rng));
        Problem p = problem(rng, 4);
        net.train();
        net.forward(p.x());
        net.eval();
        float[] a = net.forward(p.x()).toHost();
        float[] b = net.forward(p.x()).toHost();
        assertArrayEquals(a, b, "eval forward must be deterministic and not update statistics");
        // A single image gives the same logits as in the batch: eval BN has no batch coupling.
        float[] one = new float[3 * 8 * 8];
        System.arraycopy(p.x().toHost(), 0, one, 0, one.length);
        float[] single = net.forward(backend.fromHost(one, 1, 3, 8, 8)).toHost();
        for (int k = 0; k < 3; k++) assertEquals(a[k], single[k], 1e-5, "logit " + k);
        assertThrows(IllegalStateException.class, () -> net.backward(backend.allocate(1, 3)));
    }

    /**
     * Validation with batch statistics: the same numbers as a training forward (logits and running statistics, bit
     * for bit), but activations freed as they are consumed. On this tiny mixture net the training forward's
     * workspace is 4.3x the forward-only one's (301,266 against 70,674 elements); the bound 2x still catches a pass
     * that keeps every op's output, as validation with batch statistics did before FORWARD_ONLY.
     */
    @Test
    void forwardOnlyGivesTrainingNumbersButKeepsNoActivations() {
        for (boolean mixture : new boolean[] {true, false}) {
            Rng rng = new Rng(4);
            float[][] n = randomMixture(rng), r = randomMixture(rng);
            Problem p = problem(rng, 6);
            SuperNet kept = tiny(backend, 21), freed = tiny(backend, 21);
            float[] ones = new float[14];
            java.util.Arrays.fill(ones, 1f);
            for (SuperNet net : List.of(kept, freed)) {
                if (mixture) net.setMixture(n, r);
                else net.setPath(new int[] {4, 5, 6, 7, 3, 1, 2, 4, 0, 5, 6, 7, 3, 4}, ones, new int[] {3, 1, 2, 4, 5, 6, 7, 0, 4, 3, 2, 1, 5, 6}, ones);
            }
            kept.train();
            freed.forwardOnly();
            String mode = mixture ? "mixture" : "single path";
            for (int pass = 0; pass < 2; pass++) {
                assertArrayEquals(kept.forward(p.x()).toHost(), freed.forward(p.x()).toHost(), mode + " logits, pass " + pass);
            }
            for (int b = 0; b < kept.buffers().size(); b++) {
                assertArrayEquals(kept.buffers().get(b).tensor().toHost(), freed.buffers().get(b).tensor().toHost(),
                        mode + " " + kept.buffers().get(b).name());
            }
            assertTrue(freed.workspaceElements() * 2 < kept.workspaceElements(),
                    mode + ": forward-only workspace " + freed.workspaceElements() + " elements vs training " + kept.workspaceElements());
            assertThrows(IllegalStateException.class, () -> freed.backward(backend.allocate(6, 3)));
            freed.train();
            lossAndBackward(freed, p);  // back in training mode, a forward keeps what backward needs again
        }
    }

    /**
     * DARTS's alpha step: in ARCHITECTURE mode backward gives the mixture-weight gradients of a training backward bit
     * for bit (the input-gradient chain is the same code; only parameter-gradient kernels are skipped), the same
     * running statistics, and leaves every parameter gradient as it was (here a marker value).
     */
    @Test
    void architectureModeGivesMixtureGradientsAndLeavesParameterGradientsAlone() {
        Rng rng = new Rng(6);
        float[][] n = randomMixture(rng), r = randomMixture(rng);
        Problem p = problem(rng, 4);
        SuperNet full = tiny(backend, 23), arch = tiny(backend, 23);
        full.setMixture(n, r);
        arch.setMixture(n, r);
        full.train();
        lossAndBackward(full, p);
        arch.architectureOnly();
        for (Param q : arch.params()) backend.kernels().fill(q.grad(), 0.25f);
        arch.zeroMixtureGrad();
        Tensor logits = arch.forward(p.x());
        Tensor dlogits = backend.allocateLike(logits);
        backend.kernels().softmaxCrossEntropy(logits, p.labels(), dlogits, 1f);
        arch.backward(dlogits);
        for (boolean reduction : new boolean[] {false, true}) {
            double[][] a = full.mixtureGrad(reduction), b = arch.mixtureGrad(reduction);
            for (int e = 0; e < a.length; e++) assertArrayEquals(a[e], b[e], (reduction ? "reduce" : "normal") + " edge " + e);
        }
        for (int b = 0; b < full.buffers().size(); b++) {
            assertArrayEquals(full.buffers().get(b).tensor().toHost(), arch.buffers().get(b).tensor().toHost(), full.buffers().get(b).name());
        }
        int withGradient = 0;
        for (int i = 0; i < arch.params().size(); i++) {
            for (float v : arch.params().get(i).grad().toHost()) assertEquals(0.25f, v, arch.params().get(i).name() + " gradient was written");
            if (backend.kernels().sumSquares(full.params().get(i).grad()) > 0) withGradient++;
        }
        assertTrue(withGradient > arch.params().size() / 2, "the training backward gives most parameters a gradient: " + withGradient);
    }

    @Test
    void rejectsWrongInputChannels() {
        SuperNet net = tiny(backend, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(backend.allocate(2, 1, 8, 8)));
        assertTrue(e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
    }
}
