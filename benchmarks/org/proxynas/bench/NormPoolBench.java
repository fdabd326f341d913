package org.proxynas.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

/**
 * Batch norm and the 3x3 pools at the supernet's first-stage size (batch 64, C = 16, 32x32): the memory-bound
 * passes of a search step. BN is the cells' affine-free training-mode norm (batch statistics, no running
 * statistics); its backward writes dx. Pools are 3x3 stride 1 pad 1, average without the padding in the count,
 * as in DARTS; the reduction cell's 3x3 stride-2 max pool halves the plane. Backend from {@link BackendState}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class NormPoolBench {
    private static final ConvGeom POOL = ConvGeom.of(3, 1, 1);
    private static final ConvGeom REDUCE_POOL = ConvGeom.of(3, 2, 1);
    private static final float EPS = 1e-5f;

    @Param({"64"}) public int batch;
    @Param({"16"}) public int channels;
    @Param({"32"}) public int size;

    private Tensor x, y, dy, dx, mean, invStd, half, dhalf;

    @Setup(Level.Trial)
    public void setup(BackendState s) {
        Rng rnd = new Rng(2);
        x = s.randn(rnd, batch, channels, size, size);
        dy = s.randn(rnd, batch, channels, size, size);
        y = s.b.allocate(batch, channels, size, size);
        dx = s.b.allocate(batch, channels, size, size);
        mean = s.b.allocate(channels);
        invStd = s.b.allocate(channels);
        half = s.b.allocate(batch, channels, size / 2, size / 2);
        dhalf = s.randn(rnd, batch, channels, size / 2, size / 2);
        s.k.batchNormTrainForward(x, null, null, null, null, 0.1f, EPS, y, mean, invStd);
        s.k.maxPoolForward(x, y, POOL);
        s.sync();
    }

    @Benchmark
    public void batchNormForward(BackendState s, Blackhole bh) {
        s.k.batchNormTrainForward(x, null, null, null, null, 0.1f, EPS, y, mean, invStd);
        s.sync();
        bh.consume(y);
    }

    @Benchmark
    public void batchNormBackward(BackendState s, Blackhole bh) {
        s.k.batchNormBackward(dy, x, null, mean, invStd, dx, null, null, false);
        s.sync();
        bh.consume(dx);
    }

    @Benchmark
    public void maxPool3x3Forward(BackendState s, Blackhole bh) {
        s.k.maxPoolForward(x, y, POOL);
        s.sync();
        bh.consume(y);
    }

    @Benchmark
    public void maxPool3x3Backward(BackendState s, Blackhole bh) {
        s.k.maxPoolBackward(x, dy, dx, POOL, false);
        s.sync();
        bh.consume(dx);
    }

    @Benchmark
    public void maxPool3x3Stride2Forward(BackendState s, Blackhole bh) {
        s.k.maxPoolForward(x, half, REDUCE_POOL);
        s.sync();
        bh.consume(half);
    }

    @Benchmark
    public void maxPool3x3Stride2Backward(BackendState s, Blackhole bh) {
        s.k.maxPoolBackward(x, dhalf, dx, REDUCE_POOL, false);
        s.sync();
        bh.consume(dx);
    }

    @Benchmark
    public void avgPool3x3Forward(BackendState s, Blackhole bh) {
        s.k.avgPoolForward(x, y, POOL, false);
        s.sync();
        bh.consume(y);
    }

    @Benchmark
    public void avgPool3x3Backward(BackendState s, Blackhole bh) {
        s.k.avgPoolBackward(dy, dx, POOL, false, false);
        s.sync();
        bh.consume(dx);
    }
}
