package org.proxynas.search;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaBackend;
import org.proxynas.cuda.EmulatedLauncher;
import org.proxynas.data.Dataset;
import org.proxynas.data.SyntheticData;
import org.proxynas.data.SyntheticSpec;
import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The supernet's mixture step (the DARTS baseline's weight step) as a CUDA graph, under the emulation. The mixture
 * weights and their gradients live in device memory, so one graph serves every set of weights: captured and
 * replayed mixture steps make the host wait nowhere (the launcher's count around the replays), new weights are one
 * upload per cell type outside the graph, and the gradients one read back when asked for. Over a miniature DARTS loop
 * ({@link MiniDarts}: weights moved by each step's mixture-weight gradient, an eager alpha step between two replays, a
 * validation pass in eval mode between samples) graph replays and eager steps agree bit for bit: weights, BN
 * statistics, losses, every weight step's and the alpha step's mixture-weight gradients. Tolerance 0, measured: the
 * replay runs the eager step's own launches with the same arguments and grids, and every reduction in them adds its
 * partials in a fixed order (no atomics), so there is no reduction-order freedom to differ by (bit-identity is not
 * required of a graph, but it holds). On a GPU the same holds: the kernels are the same and as deterministic.
 *
 * <p>The same loop on the CPU backend (eager, the unfused kernels) is what the graphed loop must compute, to the
 * kernels' rounding: losses within <b>1e-5 relative</b> (measured: at most 1.2e-7) and every mixture-weight gradient
 * entry within <b>1e-3 of the largest |entry|</b> of its 14 x 8 gradient (measured: at most 4.6e-5, growing from
 * 2e-6 at the first step as the batch-norms over batches of two amplify the kernels' few-ulp differences; the
 * tolerance of CudaFusedSuperNetChecks). A graph that read stale weights or lost a gradient would be off by the
 * weights' change between steps, tens of percent here.
 *
 * <p>Tiny on purpose (C=2, L=3, 8x8 images, batch 2): the emulation runs every CUDA thread in turn on one host
 * thread, about 5 s per mixture step. Measured on the 2-core development machine while long experiments held the
 * cores (nice 15, load average 2.4 to 5.8): 23 s for the host-sync test, 54 to 89 s for the eager/graph/CPU test (two
 * emulated runners of three weight steps, an alpha step and a validation pass each, and a CPU runner).
 */
class GraphedMixtureStepTest {
    private static final Dataset DATA = SyntheticData.generate(new SyntheticSpec(16, 4, 3, 8, 8, 4, 3));
    private static final SuperNetConfig NET = new SuperNetConfig(2, 3, DATA.classes(), DATA.channels(), 3);

    private static SearchConfig config() {
        return SearchConfig.demo().toBuilder().warmupSamples(2).iterations(1).stepsPerSample(2).channels(2).layers(3).gradClip(0.05)
                .dataFraction(1).valFraction(1).batch(2).evalBatch(4).temperature(1.0).regressorWarmupEpochs(1).regressorMaxEpochs(1)
                .gaePretrainArchs(16).gaePretrainEpochs(1).heldoutSamples(0).diagnosePaths(0).seed(7).checkpointEvery(100).build();
    }

    /** 14 x 8 weights, rows summing to about 1, different per edge and per cell type. */
    private static float[][] mixture(boolean reduce) {
        float[][] w = new float[14][8];
        for (int e = 0; e < 14; e++) {
            for (int k = 0; k < 8; k++) w[e][k] = 0.125f + (reduce ? -0.01f : 0.01f) * ((e + 2 * k) % 3 - 1);
        }
        return w;
    }

    private static Tensor batch(Backend b) {
        float[] pixels = new float[2 * DATA.channels() * 8 * 8];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(0.7 * i);
        return b.fromHost(pixels, 2, DATA.channels(), 8, 8);
    }

    @Test
    void capturedAndReplayedMixtureStepsMakeTheHostWaitNever() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend b = CudaBackend.emulated()) {
            SuperNet net = new SuperNet(b, NET, new Rng(1));
            net.setMixture(mixture(false), mixture(true));
            net.train();
            SearchConfig cfg = config();
            Sgd sgd = new Sgd(net.params(), (float) cfg.supernet().momentum(), (float) cfg.supernet().weightDecay());
            Tensor images = batch(b), labels = b.fromHost(new float[] {1, 2}, 2), dlogits = b.allocate(2, DATA.classes());
            try (GraphedSupernetStep step = new GraphedSupernetStep(b.graphCapture().orElseThrow(), net, sgd, cfg, images, labels, dlogits, true)) {
                step.mixtureStep(0.05f);  // eager: fills the workspace, scratch and term tables, uploads the learning rate
                long before = b.hostSyncs();
                step.mixtureStep(0.05f);  // captured, then replayed
                assertEquals(1, step.captures());
                assertEquals(0, b.hostSyncs() - before, "the capture and its first replay read nothing back");
                float[][] normal = mixture(false), reduce = mixture(true);
                for (int i = 0; i < 2; i++) {
                    normal[i][3] += 0.05f * (i + 1);
                    reduce[13 - i][5] -= 0.02f * (i + 1);
                    long s = b.hostSyncs();
                    net.setMixture(normal, reduce);
                    assertEquals(2, b.hostSyncs() - s, "new weights: one upload per cell type, outside the graph");
                    s = b.hostSyncs();
                    step.mixtureStep(0.05f);
                    assertEquals(0, b.hostSyncs() - s, "a replay with new mixture weights makes the host wait nowhere");
                }
                long s = b.hostSyncs();
                net.setMixture(normal, reduce);
                assertEquals(0, b.hostSyncs() - s, "unchanged weights are not uploaded again");
                assertEquals(1, step.captures(), "new weights need no re-capture");
                assertEquals(3, step.replays());
                s = b.hostSyncs();
                double[][] g = net.mixtureGrad(false);
                assertEquals(1, b.hostSyncs() - s, "the mixture-weight gradient: one read back, when asked for");
                assertTrue(g[0][1] != 0 && Double.isFinite(g[0][1]), "the last replay's gradient is there: " + g[0][1]);
                assertEquals(4, step.drain().steps());
            }
            net.release();
        }
    }

    /**
     * DARTS's loop in miniature on one runner. Before every weight step but the first, the previous step's
     * mixture-weight gradient (computed by the graph, on the graph runner) is read and moves the weights (an
     * exponentiated-gradient step, so each step's weights depend on what the steps before computed); before the third,
     * an eager alpha step (forward and a backward without weight gradients on a validation batch, as DartsSearch runs
     * between weight steps) runs on the buffers the graph uses. Two weight steps, a validation pass in eval mode, one
     * more weight step.
     */
    private static final class MiniDarts {
        final SupernetRunner runner;
        final SuperNet net;
        final Backend b;
        final Tensor images, labels, dlogits;
        final float[][][] weights = {mixture(false), mixture(true)};
        final List<double[][]> stepGrads = new ArrayList<>(), alphaGrads = new ArrayList<>();
        double alphaLoss;
        int steps;

        MiniDarts(Backend b, boolean capture) {
            this.b = b;
            this.net = new SuperNet(b, NET, new Rng(1));
            this.runner = new SupernetRunner(b, net, DATA.train(), DATA.test(), DATA.normalization(), config(), new Rng(2));
            if (b.graphCapture().isPresent()) runner.captureGraphs(capture);
            this.images = batch(b);
            this.labels = b.fromHost(new float[] {3, 0}, 2);
            this.dlogits = b.allocate(2, DATA.classes());
            net.setMixture(weights[0], weights[1]);
        }

        void beforeStep() {
            if (++steps == 1) return;
            for (int r = 0; r < 2; r++) {
                double[][] g = net.mixtureGrad(r == 1);
                stepGrads.add(g);
                for (int e = 0; e < 14; e++) {
                    double sum = 0;
                    for (int k = 0; k < 8; k++) sum += weights[r][e][k] *= (float) Math.exp(-2 * g[e][k]);
                    for (int k = 0; k < 8; k++) weights[r][e][k] /= (float) sum;
                }
            }
            net.setMixture(weights[0], weights[1]);
            if (steps != 3) return;
            net.architectureOnly();  // as DartsSearch: no weight gradient, and the mode handed back to training after
            net.zeroMixtureGrad();
            alphaLoss = b.kernels().softmaxCrossEntropy(net.forward(images), labels, dlogits, 1f).loss();
            net.backward(dlogits);
            net.release();
            net.train();
            alphaGrads.add(net.mixtureGrad(false));
            alphaGrads.add(net.mixtureGrad(true));
        }

        List<Object> run() {
            List<Object> out = new ArrayList<>();
            out.add(runner.trainSteps(2, 0.05f, null, this::beforeStep));
            out.add(runner.validateCurrent());
            out.add(runner.trainSteps(1, 0.04f, null, this::beforeStep));
            stepGrads.add(net.mixtureGrad(false));
            stepGrads.add(net.mixtureGrad(true));
            return out;
        }
    }

    @Test
    void replayedMixtureStepsEqualEagerStepsAndAgreeWithTheCpu() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend eb = CudaBackend.emulated(); CudaBackend gb = CudaBackend.emulated(); CpuBackend cb = new CpuBackend(1)) {
            MiniDarts eager = new MiniDarts(eb, false), graphed = new MiniDarts(gb, true), cpu = new MiniDarts(cb, false);
            List<Object> e = eager.run(), g = graphed.run(), c = cpu.run();
            assertEquals(1, graphed.runner.graphCaptures(), "one graph for every set of mixture weights");
            assertEquals(2, graphed.runner.graphReplays(), "three steps: the first eager, then the capture's replay and one more");
            assertEquals(0, eager.runner.graphReplays());

            assertEquals(e, g, "train stats and validation, per sample");
            assertEquals(eager.alphaLoss, graphed.alphaLoss, "the alpha step's loss");
            assertGradients(eager.alphaGrads, graphed.alphaGrads, 0, "alpha step");
            assertGradients(eager.stepGrads, graphed.stepGrads, 0, "weight step");
            assertArrayEquals(eager.weights, graphed.weights, "the mixture weights the gradients moved");
            List<Param> pe = eager.net.params(), pg = graphed.net.params();
            for (int i = 0; i < pe.size(); i++) assertArrayEquals(pe.get(i).value().toHost(), pg.get(i).value().toHost(), pe.get(i).name());
            List<NamedTensor> be = eager.net.buffers(), bg = graphed.net.buffers();
            for (int i = 0; i < be.size(); i++) assertArrayEquals(be.get(i).tensor().toHost(), bg.get(i).tensor().toHost(), be.get(i).name());

            // the CPU: eager, unfused kernels; the graphed loop within the tolerances of the class comment
            for (int i = 0; i < c.size(); i++) assertEquals(loss(c.get(i)), loss(g.get(i)), 1e-5 * loss(c.get(i)), "loss " + i + " against the CPU");
            assertEquals(cpu.alphaLoss, graphed.alphaLoss, 1e-5 * cpu.alphaLoss, "the alpha step's loss against the CPU");
            assertGradients(cpu.alphaGrads, graphed.alphaGrads, 1e-3, "alpha step against the CPU:");
            assertGradients(cpu.stepGrads, graphed.stepGrads, 1e-3, "weight step against the CPU:");
        }
    }

    private static double loss(Object stats) {
        return stats instanceof SupernetRunner.TrainStats t ? t.loss() : ((LossStats) stats).loss();
    }

    /** Each 14 x 8 gradient of actual within tol times the largest |entry| of its expected counterpart. */
    private static void assertGradients(List<double[][]> expected, List<double[][]> actual, double tol, String what) {
        assertEquals(expected.size(), actual.size(), what + " gradients");
        for (int i = 0; i < expected.size(); i++) {
            double[][] x = expected.get(i), y = actual.get(i);
            double scale = 0;
            for (double[] row : x) for (double v : row) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0, what + " " + i / 2 + ": a zero gradient compares nothing");
            for (int e = 0; e < 14; e++) {
                for (int k = 0; k < 8; k++) {
                    assertEquals(x[e][k], y[e][k], tol * scale, what + " " + i / 2 + " (" + (i % 2 == 0 ? "normal" : "reduce")
                            + ") mixture-weight gradient, edge " + e + " op " + k);
                }
            }
        }
    }
}
