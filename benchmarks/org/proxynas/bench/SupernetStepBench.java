package org.proxynas.bench;

import org.openjdk.jmh.annotations.*;
import org.proxynas.nn.EvalNet;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotypes;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

import java.util.concurrent.TimeUnit;

/**
 * One supernet step, the workload of benchmarks/torch_peer.py: batch 64, C=16, L=8, 32x32x3. Modes:
 * {@code mixture} and {@code single} are training steps (forward + cross-entropy + backward + SGD, lr 0.025,
 * momentum 0.9, wd 3e-4) over all ops (DARTS) or the peer's seed-0 path (PVLL); {@code validation} is an
 * eval-mode forward pass of that path at {@code evalBatch} (the peer's eval_forward, a validation pass);
 * {@code evalnet} is one DARTS_V2 evaluation-network training step at the search size; {@code alpha} is first-order
 * DARTS's alpha step on the mixture (forward, cross-entropy, a backward with no weight gradient, no update). Backend from
 * {@link BackendState}; sizes are parameters so the smoke run can shrink them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx16g", "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class SupernetStepBench {
    @org.openjdk.jmh.annotations.Param({"mixture", "single", "validation", "evalnet", "alpha"})
    public String mode;

    @org.openjdk.jmh.annotations.Param({"64"})
    public int batch;

    @org.openjdk.jmh.annotations.Param({"256"})
    public int evalBatch;

    @org.openjdk.jmh.annotations.Param({"16"})
    public int channels;

    @org.openjdk.jmh.annotations.Param({"8"})
    public int layers;

    @org.openjdk.jmh.annotations.Param({"32"})
    public int size;

    private SuperNet supernet;
    private EvalNet evalNet;
    private Sgd sgd;
    private Tensor x, labels, dlogits;

    @Setup(Level.Trial)
    public void setup(BackendState s) {
        Rng rng = new Rng(0);
        int n = mode.equals("validation") ? evalBatch : batch;
        x = s.randn(rng, n, 3, size, size);
        float[] lab = new float[n];
        for (int i = 0; i < n; i++) lab[i] = rng.nextInt(10);
        labels = s.b.fromHost(lab, n);
        dlogits = s.b.allocate(n, 10);
        java.util.List<org.proxynas.nn.Param> params;
        switch (mode) {
            case "evalnet" -> {
                // DARTS_V2 at the search network's size, no auxiliary head.
                evalNet = new EvalNet(s.b, new EvalNetConfig(channels, layers, 10, 3, false), Genotypes.DARTS_V2, size, rng);
                params = evalNet.params();
            }
            case "mixture", "single", "validation", "alpha" -> {
                supernet = new SuperNet(s.b, new SuperNetConfig(channels, layers, 10, 3, 3), rng);
                // The peer's seed-0 sample (benchmarks/torch_peer.py's single_path_sample), so both engines run the same path.
                if (mode.equals("single") || mode.equals("validation")) supernet.setPath(SampledPath.TORCH_PEER_SEED0);
                if (mode.equals("validation")) supernet.eval();
                if (mode.equals("alpha")) supernet.architectureOnly();
                params = supernet.params();
            }
            default -> throw new IllegalArgumentException("-p mode: expected mixture, single, validation, evalnet or alpha, got '" + mode + "'");
        }
        sgd = mode.equals("alpha") ? null : new Sgd(params, 0.9f, 3e-4f);
    }

    @Benchmark
    public double step(BackendState s) {
        if (mode.equals("validation")) {
            double loss = s.k.softmaxCrossEntropy(supernet.forward(x), labels, null, 1f).loss();
            s.sync();
            return loss;
        }
        Tensor logits;
        if (evalNet != null) {
            evalNet.zeroGrad();
            logits = evalNet.forward(x);
        } else {
            if (mode.equals("alpha")) supernet.zeroMixtureGrad(); else supernet.zeroGrad();
            logits = supernet.forward(x);
        }
        double loss = s.k.softmaxCrossEntropy(logits, labels, dlogits, 1f).loss();
        if (evalNet != null) evalNet.backward(dlogits, null);
        else supernet.backward(dlogits);
        if (sgd != null) sgd.step(0.025f);
        s.sync();
        return loss;
    }
}
