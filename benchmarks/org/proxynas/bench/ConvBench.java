package org.proxynas.bench;

import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The two convolutions that dominate a DARTS search step on the CPU backend, at the supernet's first-stage
 * size: batch 64, C = 16, 32x32. Depthwise 3x3 (stride 1, pad 1) is 9 multiply-adds per output (9.4 M per
 * pass); the 1x1 conv 16 -> 16 is 16 per output (16.8 M per pass). Backward runs backward-data and
 * backward-filter, as a training step does. {@code threads} is the CPU backend's worker count (override with
 * {@code -p threads=16}). Run with {@code benchmarks/run ConvBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class ConvBench {
    private static final int N = 64, C = 16, H = 32, W = 32;
    private static final ConvGeom DW = ConvGeom.of(3, 1, 1);

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Kernels k;
    private Tensor x, y, dy, dx, wDepthwise, dwDepthwise, wPointwise, dwPointwise;

    @Setup(Level.Trial)
    public void setup() {
        backend = new CpuBackend(threads);
        k = backend.kernels();
        Random rnd = new Random(1);
        x = random(rnd, N, C, H, W);
        dy = random(rnd, N, C, H, W);
        y = backend.allocate(N, C, H, W);
        dx = backend.allocate(N, C, H, W);
        wDepthwise = random(rnd, C, 1, 3, 3);
        dwDepthwise = backend.allocate(C, 1, 3, 3);
        wPointwise = random(rnd, C, C, 1, 1);
        dwPointwise = backend.allocate(C, C, 1, 1);
    }

    private Tensor random(Random rnd, int... shape) {
        Tensor t = backend.allocate(shape);
        float[] h = new float[(int) t.size()];
        for (int i = 0; i < h.length; i++) h[i] = (float) rnd.nextGaussian();
        return t.fromHost(h);
    }

    @TearDown(Level.Trial)
    public void tearDown() { backend.close(); }

    @Benchmark
    public void depthwise3x3Forward(Blackhole bh) {
        k.depthwiseConvForward(x, wDepthwise, y, DW);
        bh.consume(y);
    }

    /** Backward-data then backward-filter (dw accumulates across calls, which does not change the work). */
    @Benchmark
    public void depthwise3x3Backward(Blackhole bh) {
        k.depthwiseConvBackwardData(dy, wDepthwise, dx, DW, false);
        k.depthwiseConvBackwardFilter(x, dy, dwDepthwise, DW);
        bh.consume(dx);
    }

    @Benchmark
    public void pointwise1x1Forward(Blackhole bh) {
        k.pointwiseConvForward(x, wPointwise, y, 1, 0);
        bh.consume(y);
    }

    @Benchmark
    public void pointwise1x1Backward(Blackhole bh) {
        k.pointwiseConvBackwardData(dy, wPointwise, dx, 1, 0, false);
        k.pointwiseConvBackwardWeight(x, dy, dwPointwise, 1, 0);
        bh.consume(dx);
    }
}
