package org.proxynas.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.proxynas.tensor.DeviceTimer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the kernels on a GPU: the jar's fatbin ({@link CudaProbe#FATBIN_RESOURCE}) loaded with
 * {@code cuModuleLoadData} into the device's primary context. Every launch and device-to-device copy is queued
 * on one non-blocking stream of this launcher; copies to and from the host go through a staging segment on the same
 * stream and wait for it. The context is made current on every thread that calls in. A capture is a stream capture
 * of that stream (cuStreamBeginCapture_v2, global mode), instantiated with cuGraphInstantiateWithFlags and
 * replayed with cuGraphLaunch on the same stream. Kernel arguments are packed by the jar's kernel ABI table
 * ({@link KernelAbi#resource()}) into buffers reused by every launch.
 */
public final class DriverLauncher implements Launcher {
    private final CudaDriver driver;
    private final int ordinal;
    private final MemorySegment context;
    private final MemorySegment module;
    private final MemorySegment stream;
    private final CaptureState capture = new CaptureState();
    private final AtomicLong hostSyncs = new AtomicLong();
    private final Arena imageArena = Arena.ofShared();
    private final Map<String, MemorySegment> functions = new ConcurrentHashMap<>();
    private final KernelAbi abi = KernelAbi.resource();
    private final ArgPacker packer = new ArgPacker();
    private final Map<String, Integer> sharedLimits = new ConcurrentHashMap<>();
    private final int maxSharedOptIn;
    /** The context current on each thread, as this class last set it (launchers on other devices share the thread). */
    private static final ThreadLocal<MemorySegment> CURRENT = new ThreadLocal<>();
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
        checkTargets(driver, device, name);
        this.maxSharedOptIn = driver.attribute(CudaDriver.ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device);
        this.module = driver.moduleLoadData(fatbinImage(imageArena));
        this.stream = driver.streamCreate(CudaDriver.STREAM_NON_BLOCKING);
    }

    /** Refuses, saying what to install or rebuild, a driver or GPU the jar's fatbin cannot run on. */
    private static void checkTargets(CudaDriver driver, int device, String name) {
        FatbinTargets targets = FatbinTargets.resource().orElse(null);
        if (targets == null) return;  // no fatbin: fatbinImage says so
        int major = driver.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR, device);
        int minor = driver.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR, device);
        java.util.Optional<String> problem = targets.driverProblem(driver.driverVersion())
                .or(() -> targets.deviceProblem(major, minor));
        if (problem.isPresent()) throw new IllegalStateException(name + ": cannot run the CUDA kernels: " + problem.get());
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
        if (!context.equals(CURRENT.get())) {
            driver.setCurrent(context);
            CURRENT.set(context);
        }
    }

    @Override public String describe() { return "GPU " + ordinal + ": " + name; }

    @Override
    public long malloc(long bytes) {
        capture.refuse("malloc(" + bytes + " bytes)");
        ensureCurrent();
        return driver.malloc(Math.max(bytes, 1));
    }

    @Override
    public void free(long ptr) {
        capture.refuse("free");
        ensureCurrent();
        driver.free(ptr);
    }

    @Override
    public void upload(float[] src, long dst, int count) {
        capture.refuse("host-to-device copy of " + count + " floats");
        hostSyncs.incrementAndGet();
        ensureCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, count));
            MemorySegment.copy(src, 0, staging, ValueLayout.JAVA_FLOAT, 0, count);
            driver.copyHtoDAsync(dst, staging, 4L * count, stream);
            driver.streamSynchronize(stream);  // the staging segment is freed when the arena closes
        }
    }

    @Override
    public void download(long src, float[] dst, int count) {
        capture.refuse("device-to-host copy of " + count + " floats (a read back)");
        hostSyncs.incrementAndGet();
        ensureCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, count));
            driver.copyDtoHAsync(staging, src, 4L * count, stream);
            driver.streamSynchronize(stream);
            MemorySegment.copy(staging, ValueLayout.JAVA_FLOAT, 0, dst, 0, count);
        }
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        ensureCurrent();
        driver.copyDtoDAsync(dst, src, bytes, stream);
    }

    @Override
    public void zero(long ptr, long bytes) {
        ensureCurrent();
        driver.zeroAsync(ptr, bytes, stream);
    }

    @Override public int maxGridX() { return maxGrid; }

    @Override public KernelAbi abi() { return abi; }

    @Override public int maxSharedOptIn() { return maxSharedOptIn; }

    @Override
    public void optInShared(String kernel, int bytes) {
        if (bytes > maxSharedOptIn) throw new IllegalArgumentException(kernel + ": " + bytes + " bytes of dynamic "
                + "shared memory is more than the " + maxSharedOptIn + " " + name + " lets a block opt in to");
        Integer now = sharedLimits.get(kernel);
        if (now != null && now >= bytes) return;
        ensureCurrent();
        driver.funcSetAttribute(function(kernel), CudaDriver.FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes);
        sharedLimits.put(kernel, bytes);
    }

    private MemorySegment function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> driver.moduleGetFunction(module, k));
    }

    @Override
    public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
        ensureCurrent();
        KernelAbi.Kernel k = abi.kernel(kernel);
        MemorySegment f = function(kernel);
        synchronized (packer) {
            // the driver copies the parameter values at the call (also into a graph node), so the packer may be reused
            driver.launchKernel(kernel, f, gridX, blockX, sharedBytes, stream, packer.pack(k, args));
        }
    }

    @Override
    public void synchronize() {
        capture.refuse("synchronize");
        hostSyncs.incrementAndGet();
        ensureCurrent();
        driver.streamSynchronize(stream);
    }

    @Override public long hostSyncs() { return hostSyncs.get(); }

    @Override
    public void beginCapture() {
        ensureCurrent();
        capture.begin();
        try {
            driver.streamBeginCapture(stream, CudaDriver.CAPTURE_MODE_GLOBAL);
        } catch (RuntimeException e) {
            capture.end();
            throw e;
        }
    }

    @Override
    public Graph endCapture() {
        ensureCurrent();
        MemorySegment graph;
        try {
            graph = driver.streamEndCapture(stream);
        } catch (RuntimeException e) {
            try {
                capture.end();
            } catch (RuntimeException refused) {
                e.addSuppressed(refused);
            }
            throw e;
        }
        try {
            capture.end();
            int nodes = (int) driver.graphNodeCount(graph);
            return new DriverGraph(graph, driver.graphInstantiate(graph), nodes);
        } catch (RuntimeException e) {
            driver.graphDestroy(graph);
            throw e;
        }
    }

    @Override public boolean capturing() { return capture.active(); }

    @Override public DeviceTimer timer() { return new EventTimer(driver, stream, this::ensureCurrent, hostSyncs::incrementAndGet); }

    /** A captured graph and its executable instance, replayed on the launcher's stream. */
    private final class DriverGraph implements Graph {
        private final MemorySegment graph, exec;
        private final int nodes;
        private boolean closed;

        DriverGraph(MemorySegment graph, MemorySegment exec, int nodes) {
            this.graph = graph;
            this.exec = exec;
            this.nodes = nodes;
        }

        @Override
        public void replay() {
            if (closed) throw new IllegalStateException("replay of a closed CUDA graph");
            capture.refuse("graph replay");  // as the emulation refuses it: a capture holds launches and copies only
            ensureCurrent();
            driver.graphLaunch(exec, stream);
        }

        @Override public int nodes() { return nodes; }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            ensureCurrent();
            driver.graphExecDestroy(exec);
            driver.graphDestroy(graph);
        }
    }

    @Override
    public void close() {
        // The primary context lives as long as the process; this launcher's module goes with it (loaded once per
        // launcher, which owns the context's use); device memory is freed by the pool.
        synchronize();
        driver.streamDestroy(stream);
        driver.moduleUnload(module);
        functions.clear();
        packer.close();
        imageArena.close();
    }
}
