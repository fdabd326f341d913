package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DeviceTimer;
import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.KernelFamilies;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CUDA backend: tensors in device memory from a {@link DevicePool}, kernels from {@code cuda/*.cu} launched
 * through a {@link Launcher} (the GPU through the driver, or the CPU emulation of the same sources). NCHW, like the
 * CPU reference, for now. Tensors cannot be allocated while the launcher captures a graph: a pooled block's address
 * would be baked into the graph and the block handed to someone else once its tensor is collected.
 *
 * <p>Every kernel of the interface is written, one class per family as on the CPU ({@link CudaConv},
 * {@link CudaNorm}, {@link CudaElementwise}, {@link CudaPool}, {@link CudaDense}, {@link CudaLoss}, {@link CudaOptim},
 * {@link CudaAugment}, {@link CudaFused}), sharing the launch plumbing of {@link Launches}; each family's conformance
 * suite runs under emulation against the CPU. Argument checks are the shared ones of {@code org.proxynas.tensor},
 * made on the host before a launch. Results are bit-identical to the CPU backend except sigmoid (1e-6 absolute); the
 * spatial families state their tolerances in their emulated conformance tests.
 */
public final class CudaBackend implements Backend {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Launcher launcher;
    private final DevicePool pool;
    private final DeviceScratch scratch;
    private final DeviceTables tables;
    private final KernelFamilies kernels;

    public CudaBackend(Launcher launcher) {
        this.launcher = launcher;
        this.pool = new DevicePool(launcher);
        this.scratch = new DeviceScratch(pool, launcher);
        this.tables = new DeviceTables(pool, launcher);
        Launches launches = new Launches(this);
        this.kernels = new KernelFamilies(new CudaConv(launches), new CudaNorm(launches), new CudaElementwise(launches),
                new CudaPool(launches), new CudaDense(launches), new CudaLoss(launches), new CudaOptim(launches),
                new CudaAugment(launches), new CudaFused(launches));
    }

    /** The backend on GPU {@code ordinal}, through the driver and the jar's fatbin. */
    public static CudaBackend device(int ordinal) {
        CudaDriver driver = CudaDriver.load().orElseThrow(() -> new IllegalStateException(CudaProbe.describe()));
        return new CudaBackend(new DriverLauncher(driver, ordinal));
    }

    /** The backend over the CPU emulation library ({@link EmulatedLauncher#configuredLibrary()}). */
    public static CudaBackend emulated() { return new CudaBackend(new EmulatedLauncher()); }

    Launcher launcher() { return launcher; }

    DevicePool pool() { return pool; }

    /** Kernel scratch kept per role and size class (see {@link DeviceScratch}). */
    DeviceScratch scratch() { return scratch; }

    /** Kernel tables cached on the device by content (see {@link DeviceTables}). */
    DeviceTables tables() { return tables; }

    /** The device address of a CUDA tensor of this backend. */
    long address(Tensor t) {
        if (!(t.buffer() instanceof CudaBuffer b) || b.owner != this) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to this CUDA backend");
        }
        return b.address;
    }

    @Override public String name() { return "cuda"; }

    @Override public String describe() { return "CUDA: " + launcher.describe(); }

    @Override
    public Tensor allocate(int... shape) {
        long n = Tensor.elementCount(shape);
        if (n <= 0 || n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("cannot allocate a tensor of " + n + " floats");
        if (launcher.capturing()) throw CaptureState.refusal("allocate " + Arrays.toString(shape));
        long sizeClass = pool.blockSize(4 * n);
        long address = pool.take(sizeClass);
        CudaBuffer buffer = new CudaBuffer(this, address, n);
        CLEANER.register(buffer, () -> pool.give(address, sizeClass));
        Tensor t = Tensor.wrap(this, buffer, shape);
        launcher.zero(address, 4 * n);
        return t;
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        if (src.length != dst.size()) throw new IllegalArgumentException("host array has " + src.length + " floats, tensor " + dst + " needs " + dst.size());
        launcher.upload(src, address(dst), src.length);
    }

    @Override
    public void copyToHost(Tensor src, float[] dst) {
        if (dst.length != src.size()) throw new IllegalArgumentException("host array has " + dst.length + " floats, tensor " + src + " holds " + src.size());
        launcher.download(address(src), dst, dst.length);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) throw new IllegalArgumentException("copy: " + src + " and " + dst + " differ in size");
        launcher.copy(address(src), address(dst), 4 * src.size());
    }

    @Override public Kernels kernels() { return kernels; }

    @Override public void synchronize() { launcher.synchronize(); }

    /**
     * Host synchronisations so far (see {@link Launcher#hostSyncs()}): synchronize, copies to and from the host,
     * device-timer reads. The difference across a piece of work is how often it made the host wait.
     */
    public long hostSyncs() { return launcher.hostSyncs(); }

    /**
     * Captures the launches and device-to-device copies body queues into a graph instead of running them. body may
     * not allocate, copy to or from the host or synchronise: that fails here with a {@link CudaException} naming
     * what was attempted, and the capture is abandoned. The kernel tables the graph reads stay on the device until
     * the graph is closed.
     */
    public Launcher.Graph capture(Runnable body) {
        launcher.beginCapture();
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            try {
                launcher.endCapture().close();
            } catch (RuntimeException broken) {
                e.addSuppressed(broken);
            }
            tables.abandonCapture();
            throw e;
        }
        Launcher.Graph graph;
        try {
            graph = launcher.endCapture();
        } catch (RuntimeException e) {
            tables.abandonCapture();
            throw e;
        }
        return tables.pinTo(graph);
    }

    /** CUDA graphs: see {@link #capture}. */
    @Override public Optional<GraphCapture> graphCapture() { return Optional.of(new CudaGraphCapture(this)); }

    /** CUDA events on the launcher's stream (on the emulation, the host clock around its synchronous launches). */
    @Override public Optional<DeviceTimer> deviceTimer() { return Optional.of(launcher.timer()); }

    /** The device pool's high-water mark: bytes obtained from the device allocator (blocks return only at close). */
    @Override public OptionalLong peakDeviceBytes() { return OptionalLong.of(pool.deviceBytes()); }

    @Override
    public void close() {
        launcher.synchronize();
        pool.close();
        launcher.close();
    }
}
