package org.proxynas.search;

import org.junit.jupiter.api.Test;
import org.proxynas.cuda.CudaBackend;
import org.proxynas.cuda.CudaException;
import org.proxynas.cuda.EmulatedLauncher;
import org.proxynas.data.Dataset;
import org.proxynas.data.SyntheticData;
import org.proxynas.data.SyntheticSpec;
import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.StepKernels;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The supernet's single-path step as a CUDA graph, under the emulation: steps replayed from a captured graph leave
 * the weights, BN statistics and losses bit-identical to the same steps run eagerly; a new path is re-captured and
 * still matches; a new learning rate reaches a replay through device memory without a re-capture; and a step that
 * reads the host cannot be captured, and a graph step whose step reads the host falls back to eager steps with one
 * line on stderr; captured, replayed and warm eager steps add no host synchronisation (the launcher's count).
 * (The mixture step's graph is GraphedMixtureStepTest.)
 * (That the graph step's own kernels equal GradClip.clip and Sgd.step is
 * EmulatedGraphStepKernelsTest.) A tiny supernet (C=4, L=3, 8x8 images, batch 2) on paths with two to three
 * cheap ops per node keeps the emulation's launches (every CUDA thread in turn on one host thread) affordable.
 */
class GraphedSupernetStepTest {
    private static final Dataset DATA = SyntheticData.generate(new SyntheticSpec(16, 4, 3, 8, 8, 4, 3));

    /** 14 ops per cell type; 0 = none, 1 max pool, 2 avg pool, 3 skip, 4 sep 3x3, 6 dil 3x3. */
    private static SampledPath path(int normalConv, float weightShift) {
        int[] normal = {3, normalConv, 0, 0, 3, 0, 0, 1, 0, 3, 0, 0, 0, 2};
        int[] reduce = {1, 3, 0, 0, 3, 2, 0, 0, 0, 1, 0, 0, 3, 0};
        float[] wn = new float[14], wr = new float[14];
        for (int e = 0; e < 14; e++) {
            wn[e] = 0.3f + 0.05f * e + weightShift;
            wr[e] = 0.9f - 0.04f * e + weightShift;
        }
        return new SampledPath(normal, wn, reduce, wr);
    }

    private static SearchConfig config() {
        return SearchConfig.demo().toBuilder().warmupSamples(2).iterations(1).stepsPerSample(2).channels(4).layers(3).gradClip(0.05)
                .dataFraction(1).valFraction(1).batch(2).evalBatch(4).temperature(1.0).regressorWarmupEpochs(1).regressorMaxEpochs(1)
                .gaePretrainArchs(16).gaePretrainEpochs(1).heldoutSamples(0).diagnosePaths(0).seed(7).checkpointEvery(100).build();
    }

    private static SupernetRunner runner(CudaBackend b) {
        SuperNet net = new SuperNet(b, new SuperNetConfig(4, 3, DATA.classes(), DATA.channels(), 3), new Rng(1));
        return new SupernetRunner(b, net, DATA.train(), DATA.test(), DATA.normalization(), config(), new Rng(2));
    }

    private static void assertSameState(SupernetRunner a, SupernetRunner b, String when) {
        List<Param> pa = a.net().params(), pb = b.net().params();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value().toHost(), pb.get(i).value().toHost(), when + ": " + pa.get(i).name());
        }
        List<NamedTensor> ba = a.net().buffers(), bb = b.net().buffers();
        for (int i = 0; i < ba.size(); i++) {
            assertArrayEquals(ba.get(i).tensor().toHost(), bb.get(i).tensor().toHost(), when + ": " + ba.get(i).name());
        }
    }

    @Test
    void replayedStepsAreBitIdenticalToEagerStepsAcrossPathAndLearningRateChanges() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend eb = CudaBackend.emulated(); CudaBackend gb = CudaBackend.emulated()) {
            SupernetRunner eager = runner(eb), graphed = runner(gb);
            eager.captureGraphs(false);
            // 2 steps per sample: the first on a path runs eagerly, the second is captured and replayed
            SampledPath p1 = path(4, 0f), p2 = path(6, 0.1f);
            assertEquals(eager.trainPath(p1, 0.05f, null), graphed.trainPath(p1, 0.05f, null));
            assertEquals(1, graphed.graphCaptures());
            assertEquals(1, graphed.graphReplays());
            assertSameState(eager, graphed, "path 1");

            assertEquals(eager.trainPath(p2, 0.04f, null), graphed.trainPath(p2, 0.04f, null));
            assertEquals(2, graphed.graphCaptures(), "a new path is captured afresh");
            assertSameState(eager, graphed, "path 2");

            // the same path at a new learning rate: both steps replay the path-2 graph, lr read from device memory
            SupernetRunner.TrainStats e = eager.trainPath(p2, 0.02f, null), g = graphed.trainPath(p2, 0.02f, null);
            assertEquals(e, g);
            assertEquals(2, graphed.graphCaptures());
            assertEquals(4, graphed.graphReplays());
            assertTrue(Double.isFinite(g.loss()) && g.images() == 4, g.toString());
            assertSameState(eager, graphed, "path 2 at a new learning rate");
            assertEquals(0, eager.graphReplays(), "the reference ran every step eagerly");
        }
    }

    @Test
    void capturedAndReplayedStepsMakeTheHostWaitNever() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        for (boolean capture : new boolean[] {true, false}) {
            try (CudaBackend b = CudaBackend.emulated()) {
                SuperNet net = new SuperNet(b, new SuperNetConfig(4, 3, DATA.classes(), DATA.channels(), 3), new Rng(1));
                SampledPath p = path(4, 0f);
                net.setPath(p);
                net.train();
                SearchConfig cfg = config();
                Sgd sgd = new Sgd(net.params(), (float) cfg.supernet().momentum(), (float) cfg.supernet().weightDecay());
                Tensor images = b.fromHost(new float[2 * DATA.channels() * 8 * 8], 2, DATA.channels(), 8, 8);
                Tensor labels = b.fromHost(new float[] {1, 2}, 2), dlogits = b.allocate(2, DATA.classes());
                String mode = capture ? "graph" : "eager";
                try (GraphedSupernetStep step = new GraphedSupernetStep(b.graphCapture().orElseThrow(), net, sgd, cfg, images, labels, dlogits, capture)) {
                    step.step(p, 0.05f);  // eager: fills the workspace and kernel tables, uploads the learning rate
                    long before = b.hostSyncs();
                    for (int i = 0; i < 4; i++) step.step(p, 0.05f);
                    assertEquals(capture ? 1 : 0, step.captures(), mode);
                    assertEquals(capture ? 4 : 0, step.replays(), mode);
                    assertEquals(0, b.hostSyncs() - before, mode + ": four steps (with the graph, its capture and replays) read nothing back");
                    step.step(p, 0.02f);
                    assertEquals(1, b.hostSyncs() - before, mode + ": a new learning rate is one upload, outside the graph");
                    assertEquals(6, step.drain().steps(), mode);
                    assertEquals(2, b.hostSyncs() - before, mode + ": the loss totals are one read back per drain");
                }
                net.release();
            }
        }
    }

    @Test
    void aStepThatReadsTheHostCannotBeCaptured() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        try (CudaBackend b = CudaBackend.emulated()) {
            SupernetRunner r = runner(b);
            SuperNet net = r.net();
            net.setPath(path(4, 0f));
            net.train();
            Tensor images = b.allocate(2, DATA.channels(), 8, 8), labels = b.allocate(2), dlogits = b.allocate(2, DATA.classes());
            net.forward(images);  // warms the workspace, so the capture below fails at the read back, not at an allocation
            net.release();
            // the eager step: softmaxCrossEntropy returns LossStats to the host, so it allocates and reads back its sums
            CudaException e = assertThrows(CudaException.class, () -> b.capture(() -> {
                net.zeroGrad();
                b.kernels().softmaxCrossEntropy(net.forward(images), labels, dlogits, 1f);
            }));
            assertTrue(e.getMessage().contains("allocate [6] during CUDA graph capture"), e.getMessage());
            net.release();
        }
    }

    /** The backend's graph capture, with a read back appended to every captured body: a step that cannot be captured. */
    private record ReadingBack(GraphCapture real, Tensor probe) implements GraphCapture {
        @Override public String name() { return real.name(); }

        @Override public Graph capture(Runnable body) {
            return real.capture(() -> {
                body.run();
                probe.toHost();
            });
        }

        @Override public StepKernels stepKernels() { return real.stepKernels(); }
    }

    /** Three steps of a GraphedSupernetStep on path(4, 0), returning the loss totals. */
    private static PathRun threeSteps(CudaBackend b, SuperNet net, boolean capture, GraphCapture graphs) {
        SampledPath p = path(4, 0f);
        net.setPath(p);
        net.train();
        SearchConfig cfg = config();
        Sgd sgd = new Sgd(net.params(), (float) cfg.supernet().momentum(), (float) cfg.supernet().weightDecay());
        float[] pixels = new float[2 * DATA.channels() * 8 * 8];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(0.7 * i);
        Tensor images = b.fromHost(pixels, 2, DATA.channels(), 8, 8), labels = b.fromHost(new float[]{1, 2}, 2);
        Tensor dlogits = b.allocate(2, DATA.classes());
        try (GraphedSupernetStep step = new GraphedSupernetStep(graphs, net, sgd, cfg, images, labels, dlogits, capture)) {
            for (int i = 0; i < 3; i++) step.step(p, 0.05f);
            net.release();
            return new PathRun(step.drain(), step.captures(), step.replays());
        }
    }

    private record PathRun(StepKernels.Totals totals, int captures, int replays) {}

    @Test
    void aStepThatCannotBeCapturedRunsEagerlyAfterOneLineOnStderr() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        // every step the supernet runs is capturable (both modes): a capture whose body also reads back stands in
        // for a step with a kernel that reads the host
        SuperNetConfig tiny = new SuperNetConfig(2, 3, DATA.classes(), DATA.channels(), 1);
        try (CudaBackend eb = CudaBackend.emulated(); CudaBackend gb = CudaBackend.emulated()) {
            SuperNet eagerNet = new SuperNet(eb, tiny, new Rng(1)), graphNet = new SuperNet(gb, tiny, new Rng(1));
            PathRun reference = threeSteps(eb, eagerNet, false, eb.graphCapture().orElseThrow());
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PathRun fallback;
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                fallback = threeSteps(gb, graphNet, true, new ReadingBack(gb.graphCapture().orElseThrow(), gb.allocate(1)));
            } finally {
                System.setErr(err);
            }
            List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), "one line, whatever the number of steps: " + lines);
            assertTrue(lines.get(0).startsWith("CUDA graphs off: the supernet step cannot be captured (")
                    && lines.get(0).contains("device-to-host copy") && lines.get(0).endsWith("its steps run eagerly"), lines.get(0));
            assertEquals(0, fallback.captures());
            assertEquals(0, fallback.replays(), "every step ran eagerly");
            assertEquals(3, fallback.totals().steps());
            assertEquals(reference.totals(), fallback.totals(), "the same losses as the eager reference");
            List<Param> pe = eagerNet.params(), pg = graphNet.params();
            for (int i = 0; i < pe.size(); i++) {
                assertArrayEquals(pe.get(i).value().toHost(), pg.get(i).value().toHost(), pe.get(i).name());
            }
        }
    }
}
