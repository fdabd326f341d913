package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.proxynas.tensor.DeviceTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the kernels of {@code cuda/*.cu} compiled by the host compiler against {@code cuda/emu/cuda_emu.h} into
 * {@code libproxynas_emu.so} (built by native-build/build-cuda.sh): every kernel is reached through its exported
 * {@code emu_launch_<kernel>(gridX, blockX, sharedBytes, args...)}. Device memory is native memory, so pointers
 * are host addresses. Launches are synchronous. Each CUDA thread is a fiber on the launching thread, switched at barriers and shuffles; exact about
 * indexing, barriers and launch configuration: for conformance tests, not for training.
 *
 * <p>A capture records each launch (its kernel resolved and its arguments fixed then, as the driver copies kernel
 * parameters into the graph) and each device-to-device copy; a replay runs them in order. Allocation, host copies
 * and synchronisation during a capture are refused ({@link CaptureState}), as the driver refuses them.
 */
public final class EmulatedLauncher implements Launcher {
    /** System property naming the library; default {@link #DEFAULT_LIBRARY}. */
    public static final String LIBRARY_PROPERTY = "proxynas.cuda.emu";
    public static final String DEFAULT_LIBRARY = "target/native/libproxynas_emu.so";
    /** Blocks per launch: small, so every grid-stride loop wraps. */
    static final int MAX_GRID = 4;

    private final Path library;
    private final Arena libraryArena = Arena.ofShared();
    private final SymbolLookup lookup;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final Map<Long, Arena> allocations = new HashMap<>();
    private final CaptureState capture = new CaptureState();
    private List<Runnable> recording;

    public EmulatedLauncher(Path library) {
        this.library = library.toAbsolutePath();
        if (!Files.isRegularFile(this.library)) {
            throw new IllegalStateException("CUDA emulation library " + this.library + " not found (built by "
                    + "native-build/build-cuda.sh when g++ is present; set -D" + LIBRARY_PROPERTY + "=PATH to use another)");
        }
        this.lookup = SymbolLookup.libraryLookup(this.library, libraryArena);
    }

    /** The library named by {@link #LIBRARY_PROPERTY}, or the default under target/native. */
    public static Path configuredLibrary() { return Path.of(System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY)); }

    /** Whether {@link #configuredLibrary()} exists. */
    public static boolean available() { return Files.isRegularFile(configuredLibrary()); }

    public EmulatedLauncher() { this(configuredLibrary()); }

    @Override public String describe() { return "CPU emulation of the CUDA kernels (" + library + ")"; }

    @Override
    public synchronized long malloc(long bytes) {
        capture.refuse("malloc(" + bytes + " bytes)");
        Arena arena = Arena.ofShared();
        long address = arena.allocate(Math.max(bytes, 1), 256).address();
        allocations.put(address, arena);
        return address;
    }

    @Override
    public synchronized void free(long ptr) {
        capture.refuse("free");
        Arena arena = allocations.remove(ptr);
        if (arena == null) throw new IllegalArgumentException("free of an address this launcher did not allocate: 0x" + Long.toHexString(ptr));
        arena.close();
    }

    private static MemorySegment at(long address, long bytes) { return MemorySegment.ofAddress(address).reinterpret(bytes); }

    @Override
    public void upload(float[] src, long dst, int count) {
        capture.refuse("host-to-device copy of " + count + " floats");
        MemorySegment.copy(src, 0, at(dst, 4L * count), ValueLayout.JAVA_FLOAT, 0, count);
    }

    @Override
    public void download(long src, float[] dst, int count) {
        capture.refuse("device-to-host copy of " + count + " floats (a read back)");
        MemorySegment.copy(at(src, 4L * count), ValueLayout.JAVA_FLOAT, 0, dst, 0, count);
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        Runnable work = () -> at(dst, bytes).copyFrom(at(src, bytes));
        if (capture.active()) recording.add(work);
        else work.run();
    }

    @Override
    public void zero(long ptr, long bytes) {
        Runnable work = () -> at(ptr, bytes).fill((byte) 0);
        if (capture.active()) recording.add(work);
        else work.run();
    }

    @Override public int maxGridX() { return MAX_GRID; }

    @Override
    public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
        Object[] fixed = args.clone();
        if (capture.active()) {
            handle(kernel, fixed);  // a kernel that is not there fails at capture, as cuLaunchKernel would
            recording.add(() -> execute(kernel, gridX, blockX, sharedBytes, fixed));
        } else {
            execute(kernel, gridX, blockX, sharedBytes, fixed);
        }
    }

    private MethodHandle handle(String kernel, Object[] args) {
        return handles.computeIfAbsent(signature(kernel, args), s -> bind(kernel, args));
    }

    private static String signature(String kernel, Object[] args) {
        StringBuilder signature = new StringBuilder(kernel).append('(');
        for (Object a : args) {
            switch (a) {
                case Ptr p -> signature.append('P');
                case Integer v -> signature.append('I');
                case Long v -> signature.append('L');
                case Float v -> signature.append('F');
                default -> throw new IllegalArgumentException(kernel + ": unsupported kernel argument " + a);
            }
        }
        return signature.toString();
    }

    private void execute(String kernel, int gridX, int blockX, int sharedBytes, Object[] args) {
        Object[] call = new Object[args.length + 3];
        call[0] = gridX;
        call[1] = blockX;
        call[2] = sharedBytes;
        for (int i = 0; i < args.length; i++) {
            call[i + 3] = args[i] instanceof Ptr p ? MemorySegment.ofAddress(p.address()) : args[i];
        }
        MethodHandle h = handle(kernel, args);
        int rc;
        try {
            rc = (int) h.invokeWithArguments(call);
        } catch (Throwable t) {
            throw new CudaException("emu_launch_" + kernel + " failed", t);
        }
        if (rc != 0) throw new CudaException("emu_launch_" + kernel + "(grid " + gridX + ", block " + blockX
                + ", shared " + sharedBytes + ")", rc, failure(rc));
    }

    /** The meaning of a non-zero emu_launch_* result (the EMU_* codes of cuda/emu/cuda_emu.h). */
    private static String failure(int rc) {
        return switch (rc) {
            case -1 -> "invalid launch configuration";
            case -2 -> "no memory for the emulated threads' stacks";
            case -3 -> "divergent synchronisation: lanes of a warp wait at different barriers or shuffles (details on stderr)";
            default -> "unknown emulation failure";
        };
    }

    private MethodHandle bind(String kernel, Object[] args) {
        MemoryLayout[] layouts = new MemoryLayout[args.length + 3];
        layouts[0] = layouts[1] = layouts[2] = ValueLayout.JAVA_INT;
        for (int i = 0; i < args.length; i++) {
            layouts[i + 3] = switch (args[i]) {
                case Ptr p -> ValueLayout.ADDRESS;
                case Integer v -> ValueLayout.JAVA_INT;
                case Long v -> ValueLayout.JAVA_LONG;
                case Float v -> ValueLayout.JAVA_FLOAT;
                default -> throw new IllegalArgumentException(kernel + ": unsupported kernel argument " + args[i]);
            };
        }
        MemorySegment symbol = lookup.find("emu_launch_" + kernel).orElseThrow(() -> new CudaException(
                "emu_launch_" + kernel + " not found in " + library + " (kernel not written, or library out of date)", null));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT, layouts));
    }

    @Override public void synchronize() { capture.refuse("synchronize"); }

    @Override
    public void beginCapture() {
        capture.begin();
        recording = new ArrayList<>();
    }

    @Override
    public Graph endCapture() {
        List<Runnable> work = recording;
        recording = null;
        capture.end();
        return new RecordedGraph(List.copyOf(work));
    }

    @Override public boolean capturing() { return capture.active(); }

    /** The emulation runs launches synchronously, so the host clock measures the work itself. */
    @Override public DeviceTimer timer() { return new HostClockTimer(); }

    /** Recorded work replayed in order on the calling thread. */
    private final class RecordedGraph implements Graph {
        private final List<Runnable> work;
        private boolean closed;

        RecordedGraph(List<Runnable> work) { this.work = work; }

        @Override
        public void replay() {
            if (closed) throw new IllegalStateException("replay of a closed CUDA graph");
            capture.refuse("graph replay");
            for (Runnable r : work) r.run();
        }

        @Override public int nodes() { return work.size(); }

        @Override public void close() { closed = true; }
    }

    @Override
    public synchronized void close() {
        for (Arena a : allocations.values()) a.close();
        allocations.clear();
        // The library stays mapped until its arena closes; kernels may not be running now (launches are synchronous).
        libraryArena.close();
    }
}
