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
 * The two convolutions that dominate a DARTS search step, at the supernet's first-stage size: batch 64, C = 16,
 * 32x32. Depthwise 3x3 (stride 1, pad 1) is 9 multiply-adds per output (9.4 M per pass; at stride 2, as on a
 * reduction cell's input edges, a quarter of that); the 1x1 conv 16 -> 16
 * is 16 per output (16.8 M per pass). Backward runs backward-data and backward-filter, as a training step does.
 * Backend and CPU threads from {@link BackendState} ({@code -p backend=cuda}, {@code -p threads=1}); the sizes
 * are parameters so the smoke run can shrink them. Fused chains (ReLU-conv-BN and the like) get their own
 * benchmark class beside this one once {@code Kernels} has them, timed against the unfused sequence here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBench {
    private static final ConvGeom DW = ConvGeom.of(3, 1, 1);
    /** A reduction cell's input edge: sep_conv_3x3's first depthwise conv at stride 2 (the phase-plane path). */
    private static final ConvGeom DW_STRIDE2 = ConvGeom.of(3, 2, 1);

    @Param({"64"}) public int batch;
    @Param({"16"}) public int channels;
    @Param({"32"}) public int size;

    private Tensor x, y, dy, dx, wDepthwise, dwDepthwise, wPointwise, dwPointwise, yHalf, dyHalf;

    @Setup(Level.Trial)
    public void setup(BackendState s) {
        Rng rnd = new Rng(1);
        x = s.randn(rnd, batch, channels, size, size);
        dy = s.randn(rnd, batch, channels, size, size);
        y = s.b.allocate(batch, channels, size, size);
        dx = s.b.allocate(batch, channels, size, size);
        wDepthwise = s.randn(rnd, channels, 1, 3, 3);
        dwDepthwise = s.b.allocate(channels, 1, 3, 3);
        wPointwise = s.randn(rnd, channels, channels, 1, 1);
        dwPointwise = s.b.allocate(channels, channels, 1, 1);
        yHalf = s.b.allocate(batch, channels, DW_STRIDE2.outSize(size), DW_STRIDE2.outSize(size));
        dyHalf = s.randn(rnd, batch, channels, DW_STRIDE2.outSize(size), DW_STRIDE2.outSize(size));
    }

    @Benchmark
    public void depthwise3x3Forward(BackendState s, Blackhole bh) {
        s.k.depthwiseConvForward(x, wDepthwise, y, DW);
        s.sync();
        bh.consume(y);
    }

    /** Backward-data then backward-filter (dw accumulates across calls, which does not change the work). */
    @Benchmark
    public void depthwise3x3Backward(BackendState s, Blackhole bh) {
        s.k.depthwiseConvBackwardData(dy, wDepthwise, dx, DW, false);
        s.k.depthwiseConvBackwardFilter(x, dy, dwDepthwise, DW);
        s.sync();
        bh.consume(dx);
    }

    @Benchmark
    public void depthwise3x3Stride2Forward(BackendState s, Blackhole bh) {
        s.k.depthwiseConvForward(x, wDepthwise, yHalf, DW_STRIDE2);
        s.sync();
        bh.consume(yHalf);
    }

    @Benchmark
    public void depthwise3x3Stride2Backward(BackendState s, Blackhole bh) {
        s.k.depthwiseConvBackwardData(dyHalf, wDepthwise, dx, DW_STRIDE2, false);
        s.k.depthwiseConvBackwardFilter(x, dyHalf, dwDepthwise, DW_STRIDE2);
        s.sync();
        bh.consume(dx);
    }

    @Benchmark
    public void pointwise1x1Forward(BackendState s, Blackhole bh) {
        s.k.pointwiseConvForward(x, wPointwise, y, 1, 0);
        s.sync();
        bh.consume(y);
    }

    @Benchmark
    public void pointwise1x1Backward(BackendState s, Blackhole bh) {
        s.k.pointwiseConvBackwardData(dy, wPointwise, dx, 1, 0, false);
        s.k.pointwiseConvBackwardWeight(x, dy, dwPointwise, 1, 0);
        s.sync();
        bh.consume(dx);
    }
}
