package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the kernels of {@code cuda/*.cu} compiled by the host compiler against {@code cuda/emu/cuda_emu.h} into
 * {@code libproxynas_emu.so} (built by native-build/build-cuda.sh): every kernel is reached through its exported
 * {@code emu_launch_<kernel>(gridX, blockX, sharedBytes, args...)}. Device memory is native memory, so pointers
 * are host addresses. Launches are synchronous. Slow (one OS thread per CUDA thread of a block) but exact about
 * indexing, barriers and launch configuration: for conformance tests, not for training.
 */
public final class EmulatedLauncher implements Launcher {
    /** System property naming the library; default {@link #DEFAULT_LIBRARY}. */
    public static final String LIBRARY_PROPERTY = "proxynas.cuda.emu";
    public static final String DEFAULT_LIBRARY = "target/native/libproxynas_emu.so";
    /** Blocks per launch: small, so every grid-stride loop wraps and a launch costs few thread start-ups. */
    static final int MAX_GRID = 4;

    private final Path library;
    private final Arena libraryArena = Arena.ofShared();
    private final SymbolLookup lookup;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final Map<Long, Arena> allocations = new HashMap<>();

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
        Arena arena = Arena.ofShared();
        long address = arena.allocate(Math.max(bytes, 1), 256).address();
        allocations.put(address, arena);
        return address;
    }

    @Override
    public synchronized void free(long ptr) {
        Arena arena = allocations.remove(ptr);
        if (arena == null) throw new IllegalArgumentException("free of an address this launcher did not allocate: 0x" + Long.toHexString(ptr));
        arena.close();
    }

    private static MemorySegment at(long address, long bytes) { return MemorySegment.ofAddress(address).reinterpret(bytes); }

    @Override
    public void upload(float[] src, long dst, int count) {
        MemorySegment.copy(src, 0, at(dst, 4L * count), ValueLayout.JAVA_FLOAT, 0, count);
    }

    @Override
    public void download(long src, float[] dst, int count) {
        MemorySegment.copy(at(src, 4L * count), ValueLayout.JAVA_FLOAT, 0, dst, 0, count);
    }

    @Override
    public void copy(long src, long dst, long bytes) { at(dst, bytes).copyFrom(at(src, bytes)); }

    @Override public int maxGridX() { return MAX_GRID; }

    @Override
    public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
        Object[] call = new Object[args.length + 3];
        call[0] = gridX;
        call[1] = blockX;
        call[2] = sharedBytes;
        StringBuilder signature = new StringBuilder(kernel).append('(');
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Ptr p) {
                call[i + 3] = MemorySegment.ofAddress(p.address());
                signature.append('P');
            } else if (a instanceof Integer || a instanceof Long || a instanceof Float) {
                call[i + 3] = a;
                signature.append(a.getClass().getSimpleName().charAt(0));
            } else {
                throw new IllegalArgumentException(kernel + ": unsupported kernel argument " + a);
            }
        }
        MethodHandle h = handles.computeIfAbsent(signature.toString(), s -> bind(kernel, args));
        int rc;
        try {
            rc = (int) h.invokeWithArguments(call);
        } catch (Throwable t) {
            throw new CudaException("emu_launch_" + kernel + " failed", t);
        }
        if (rc != 0) throw new CudaException("emu_launch_" + kernel + "(grid " + gridX + ", block " + blockX
                + ", shared " + sharedBytes + ")", rc, "invalid launch configuration");
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

    @Override public void synchronize() {}

    @Override
    public synchronized void close() {
        for (Arena a : allocations.values()) a.close();
        allocations.clear();
        // The library stays mapped until its arena closes; kernels may not be running now (launches are synchronous).
        libraryArena.close();
    }
}
