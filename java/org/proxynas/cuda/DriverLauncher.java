package org.proxynas.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the kernels on a GPU: the jar's fatbin ({@link CudaProbe#FATBIN_RESOURCE}) loaded with
 * {@code cuModuleLoadData} into the device's primary context, kernels launched with {@code cuLaunchKernel} on the
 * default stream. The context is made current on every thread that calls in.
 */
public final class DriverLauncher implements Launcher {
    private final CudaDriver driver;
    private final int ordinal;
    private final MemorySegment context;
    private final MemorySegment module;
    private final Arena imageArena = Arena.ofShared();
    private final Map<String, MemorySegment> functions = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final int maxGrid;
    private final String name;

    public DriverLauncher(CudaDriver driver, int ordinal) {
        this.driver = driver;
        this.ordinal = ordinal;
        int device = driver.device(ordinal);
        this.name = driver.deviceName(device);
        this.context = driver.primaryContext(device);
        ensureCurrent();
        this.maxGrid = 32 * driver.attribute(CudaDriver.ATTR_MULTIPROCESSOR_COUNT, device);
        this.module = driver.moduleLoadData(fatbinImage(imageArena));
    }

    /** The fatbin resource as a native segment; throws when the kernels were not built into this jar. */
    static MemorySegment fatbinImage(Arena arena) {
        try (InputStream in = DriverLauncher.class.getResourceAsStream(CudaProbe.FATBIN_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the CUDA kernels were not built into this jar ("
                    + CudaProbe.FATBIN_RESOURCE + " missing): build with nvcc at /usr/local/cuda/bin");
            byte[] bytes = in.readAllBytes();
            MemorySegment image = arena.allocate(bytes.length, 4096);
            MemorySegment.copy(bytes, 0, image, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return image;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CudaProbe.FATBIN_RESOURCE, e);
        }
    }

    private void ensureCurrent() {
        if (!current.get()) {
            driver.setCurrent(context);
            current.set(true);
        }
    }

    @Override public String describe() { return "GPU " + ordinal + ": " + name; }

    @Override
    public long malloc(long bytes) {
        ensureCurrent();
        return driver.malloc(Math.max(bytes, 1));
    }

    @Override
    public void free(long ptr) {
        ensureCurrent();
        driver.free(ptr);
    }

    @Override
    public void upload(float[] src, long dst, int count) {
        ensureCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocateFrom(ValueLayout.JAVA_FLOAT, src);
            driver.copyHtoD(dst, staging, 4L * count);
        }
    }

    @Override
    public void download(long src, float[] dst, int count) {
        ensureCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_FLOAT, count);
            driver.copyDtoH(staging, src, 4L * count);
            MemorySegment.copy(staging, ValueLayout.JAVA_FLOAT, 0, dst, 0, count);
        }
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        ensureCurrent();
        driver.copyDtoD(dst, src, bytes);
    }

    @Override public int maxGridX() { return maxGrid; }

    @Override
    public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
        ensureCurrent();
        MemorySegment f = functions.computeIfAbsent(kernel, k -> driver.moduleGetFunction(module, k));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.length));
            for (int i = 0; i < args.length; i++) {
                MemorySegment slot = switch (args[i]) {
                    case Ptr p -> arena.allocateFrom(ValueLayout.JAVA_LONG, p.address());
                    case Integer v -> arena.allocateFrom(ValueLayout.JAVA_INT, v);
                    case Long v -> arena.allocateFrom(ValueLayout.JAVA_LONG, v);
                    case Float v -> arena.allocateFrom(ValueLayout.JAVA_FLOAT, v);
                    default -> throw new IllegalArgumentException(kernel + ": unsupported kernel argument " + args[i]);
                };
                params.setAtIndex(ValueLayout.ADDRESS, i, slot);
            }
            driver.launchKernel(kernel, f, gridX, blockX, sharedBytes, params);
        }
    }

    @Override
    public void synchronize() {
        ensureCurrent();
        driver.synchronize();
    }

    @Override
    public void close() {
        // The primary context and its module live as long as the process; device memory is freed by the pool.
        synchronize();
    }
}
