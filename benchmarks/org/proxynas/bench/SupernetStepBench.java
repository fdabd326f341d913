package org.proxynas.bench;

import org.openjdk.jmh.annotations.*;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.nn.EvalNet;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotypes;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

import java.util.concurrent.TimeUnit;

/**
 * One supernet training step on CPU, the workload of shared/peers/torch_darts_bench.py: batch 64, C=16, L=8,
 * 32x32x3, forward + cross-entropy + backward + SGD (lr 0.025, momentum 0.9, wd 3e-4). Modes: full mixture
 * (DARTS), single path (the peer's seed-0 sample), and one EvalNet step (DARTS_V2 at the search size).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx16g", "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class SupernetStepBench {
    @org.openjdk.jmh.annotations.Param({"mixture", "single", "evalnet"})
    public String mode;

    @org.openjdk.jmh.annotations.Param({"64"})
    public int batch;

    private Backend backend;
    private SuperNet supernet;
    private EvalNet evalNet;
    private Sgd sgd;
    private Tensor x, labels, dlogits;

    @Setup(Level.Trial)
    public void setup() {
        backend = new CpuBackend();
        Rng rng = new Rng(0);
        float[] img = new float[batch * 3 * 32 * 32];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        float[] lab = new float[batch];
        for (int i = 0; i < batch; i++) lab[i] = rng.nextInt(10);
        x = backend.fromHost(img, batch, 3, 32, 32);
        labels = backend.fromHost(lab, batch);
        dlogits = backend.allocate(batch, 10);
        java.util.List<org.proxynas.nn.Param> params;
        if (mode.equals("evalnet")) {
            // DARTS_V2 at the search network's size (C=16, L=8), no auxiliary head.
            evalNet = new EvalNet(backend, new EvalNetConfig(16, 8, 10, 3, false), Genotypes.DARTS_V2, 32, rng);
            params = evalNet.params();
        } else {
            supernet = new SuperNet(backend, SuperNetConfig.reference(), rng);
            if (mode.equals("single")) {
                // The peer's seed-0 sample (shared/peers/README.md), so both engines run the same path.
                supernet.setPath(SampledPath.TORCH_PEER_SEED0);
            }
            params = supernet.params();
        }
        sgd = new Sgd(params, 0.9f, 3e-4f);
    }

    @Benchmark
    public double trainStep() {
        Tensor logits;
        if (evalNet != null) {
            evalNet.zeroGrad();
            logits = evalNet.forward(x);
        } else {
            supernet.zeroGrad();
            logits = supernet.forward(x);
        }
        double loss = backend.kernels().softmaxCrossEntropy(logits, labels, dlogits, 1f).loss();
        if (evalNet != null) evalNet.backward(dlogits, null);
        else supernet.backward(dlogits);
        sgd.step(0.025f);
        return loss;
    }

    @TearDown(Level.Trial)
    public void close() { backend.close(); }
}
