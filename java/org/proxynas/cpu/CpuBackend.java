package org.proxynas.cpu;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.KernelFamilies;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The reference backend: plain Java over float arrays, NCHW, multi-threaded, deterministic per thread count. Its
 * kernels are one class per family ({@link CpuConv}, {@link CpuNorm}, {@link CpuElementwise}, {@link CpuPool},
 * {@link CpuDense}, {@link CpuLoss}, {@link CpuOptim}, {@link CpuAugment}, {@link CpuFused}).
 */
public final class CpuBackend implements Backend {
    private final Parallel parallel;
    private final KernelFamilies kernels;

    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads);
        CpuElementwise elementwise = new CpuElementwise(this, parallel);
        this.kernels = new KernelFamilies(new CpuConv(this, parallel), new CpuNorm(this, parallel), elementwise,
                new CpuPool(this, parallel), new CpuDense(this, parallel), new CpuLoss(this, parallel),
                new CpuOptim(this, parallel, elementwise), new CpuAugment(this, parallel), new CpuFused(this, parallel));
    }

    /** One thread per available core. */
    public CpuBackend() { this(Runtime.getRuntime().availableProcessors()); }

    /** The float array behind a CPU tensor. */
    public static float[] data(Tensor t) {
        if (!(t.buffer() instanceof CpuBuffer b)) {
            throw new IllegalArgumentException("tensor " + t + " is not a CPU tensor");
        }
        return b.data();
    }

    public int threads() { return parallel.threads(); }

    @Override public String name() { return "cpu"; }

    @Override public String describe() { return "CPU: available, " + parallel.threads() + " threads (pure Java reference)"; }

    @Override
    public Tensor allocate(int... shape) {
        long n = Tensor.elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of " + n + " floats is too large for the CPU backend");
        return Tensor.wrap(this, new CpuBuffer(new float[(int) n]), shape);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        if (src.length != dst.size()) throw new IllegalArgumentException("host array has " + src.length + " floats, tensor " + dst + " needs " + dst.size());
        System.arraycopy(src, 0, data(dst), 0, src.length);
    }

    @Override
    public void copyToHost(Tensor src, float[] dst) {
        if (dst.length != src.size()) throw new IllegalArgumentException("host array has " + dst.length + " floats, tensor " + src + " holds " + src.size());
        System.arraycopy(data(src), 0, dst, 0, dst.length);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) throw new IllegalArgumentException("copy: " + src + " and " + dst + " differ in size");
        System.arraycopy(data(src), 0, data(dst), 0, (int) src.size());
    }

    @Override public Kernels kernels() { return kernels; }

    @Override public void synchronize() {}

    @Override public void close() { parallel.shutdown(); }
}
