package org.proxynas.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaBackend;
import org.proxynas.cuda.CudaProbe;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The backend every benchmark runs on: {@code -p backend=cpu} (default) or {@code -p backend=cuda}, which fails
 * the setup with the reason where no usable GPU is present. {@code threads} is the CPU backend's worker count
 * (0 = all cores; ignored on CUDA). Benchmarks end each operation with {@link #sync()}, so the host time JMH
 * measures covers the queued device work; per-step CUDA-event times come from {@code proxynas bench}.
 */
@State(Scope.Benchmark)
public class BackendState {
    @Param({"cpu"})
    public String backend;

    @Param({"0"})
    public int threads;

    public Backend b;
    public Kernels k;

    @Setup(Level.Trial)
    public void open() {
        b = switch (backend) {
            case "cpu" -> threads == 0 ? new CpuBackend() : new CpuBackend(threads);
            case "cuda" -> {
                CudaProbe.Status s = CudaProbe.probe();
                if (!s.available()) throw new IllegalStateException("-p backend=cuda needs a usable GPU: " + s.reason());
                yield CudaBackend.device(0);
            }
            default -> throw new IllegalArgumentException("-p backend: expected cpu or cuda, got '" + backend + "'");
        };
        k = b.kernels();
    }

    @TearDown(Level.Trial)
    public void close() { b.close(); }

    /** Waits for the queued work (a no-op on the CPU). */
    public void sync() { b.synchronize(); }

    /** A tensor of standard normal values, seeded. */
    public Tensor randn(Rng rng, int... shape) {
        Tensor t = b.allocate(shape);
        float[] h = new float[(int) t.size()];
        for (int i = 0; i < h.length; i++) h[i] = (float) rng.nextGaussian();
        b.copyFromHost(h, t);
        return t;
    }
}
