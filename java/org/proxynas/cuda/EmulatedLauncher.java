package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the kernels of {@code cuda/*.cu} compiled by the host compiler against {@code cuda/emu/cuda_emu.h} into
 * {@code libproxynas_emu.so} (built by native-build/build-cuda.sh): every kernel is reached through its exported
 * {@code emu_launch_<kernel>(gridX, blockX, sharedBytes, void **args)}, which reads the arguments packed by
 * {@link ArgPacker} (as the driver's cuLaunchKernel receives them) by the kernel's own parameter types. Device memory is native memory, so pointers
 * are host addresses. Launches are synchronous. Each CUDA thread is a fiber on the launching thread, switched at
 * barriers and shuffles; blocks and the threads between barriers run in a seeded random order ({@link #SEED_PROPERTY});
 * exact about indexing, barriers, launch bounds and shared memory limits: for conformance tests, not for training.
 *
 * <p>A capture records each launch (its kernel resolved and its arguments fixed then, as the driver copies kernel
 * parameters into the graph) and each device-to-device copy; a replay runs them in order. Allocation, host copies
 * and synchronisation during a capture are refused ({@link CaptureState}), as the driver refuses them.
 */
public final class EmulatedLauncher implements Launcher {
    /** System property naming the library; default {@link #DEFAULT_LIBRARY}. */
    public static final String LIBRARY_PROPERTY = "proxynas.cuda.emu";
    public static final String DEFAULT_LIBRARY = "target/native/libproxynas_emu.so";
    /**
     * System property: the seed of the emulation's schedule (the order of a grid's blocks and of a block's threads
     * between barriers; default 1). Each launcher sets it when it opens, so a run is reproducible; CI runs the
     * conformance suites under two seeds, so code that depends on that order fails.
     */
    public static final String SEED_PROPERTY = "proxynas.cuda.emu.seed";
    /** Blocks per launch: small, so every grid-stride loop wraps. */
    static final int MAX_GRID = 4;

    private final Path library;
    private final Arena libraryArena = Arena.ofShared();
    private final SymbolLookup lookup;
    /** Every entry point: emu_launch_<kernel>(int gridX, int blockX, int sharedBytes, int maxShared, void **args). */
    private static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
    /**
     * The default emulated device's opt-in limit: an H100's, and the most any emulated device may have
     * (EMU_MAX_SHARED_OPT_IN in cuda/emu/cuda_emu.h, which checks it).
     */
    static final int MAX_SHARED_OPT_IN = 227 * 1024;
    /** The emulated device's {@link #maxSharedOptIn()}. */
    private final int maxSharedPerBlock;
    private final Map<String, Integer> sharedLimits = new ConcurrentHashMap<>();
    private final KernelAbi abi;
    private final ArgPacker packer = new ArgPacker();
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    /**
     * Device memory ends against a PROT_NONE page and starts slack bytes into its first page (cuda_emu.h,
     * device_alloc): a kernel's read or write past the end faults and fails the launch at once, naming the address;
     * up to GUARD bytes of the slack before the start hold a pattern, checked after every launch (a write just
     * before the start); further before, a leading PROT_NONE page faults.
     */
    static final int GUARD = 256;
    private static final byte GUARD_BYTE = (byte) 0xFD;
    private record Allocation(long address, long bytes, MemorySegment before) {}
    private final Map<Long, Allocation> allocations = new HashMap<>();
    private final MethodHandle deviceAlloc, deviceFree, lastFault;
    private final long pageBytes;
    private final CaptureState capture = new CaptureState();
    private final AtomicLong hostSyncs = new AtomicLong();
    private List<Runnable> recording;
    private Arena recordingArena;

    public EmulatedLauncher(Path library) { this(library, MAX_SHARED_OPT_IN); }

    /**
     * An emulated device whose blocks get at most maxSharedPerBlock bytes of dynamic shared memory: above
     * {@link #DEFAULT_SHARED_BYTES} only by opting in, as on a GPU. {@link #DEFAULT_SHARED_BYTES} itself simulates a
     * device or driver without the opt-in; less, a device smaller than any CUDA GPU, on which every launch is held
     * to that limit (tests use it to send small shapes down the paths of shapes too large for a real device).
     */
    public EmulatedLauncher(Path library, int maxSharedPerBlock) {
        if (maxSharedPerBlock < 1 || maxSharedPerBlock > MAX_SHARED_OPT_IN) {
            throw new IllegalArgumentException("maxSharedPerBlock must be in [1, " + MAX_SHARED_OPT_IN
                    + "] (the emulation's most, an H100's), got " + maxSharedPerBlock);
        }
        this.maxSharedPerBlock = maxSharedPerBlock;
        this.library = library.toAbsolutePath();
        if (!Files.isRegularFile(this.library)) {
            throw new IllegalStateException("CUDA emulation library " + this.library + " not found (built by "
                    + "native-build/build-cuda.sh when g++ is present; set -D" + LIBRARY_PROPERTY + "=PATH to use another)");
        }
        this.lookup = SymbolLookup.libraryLookup(this.library, libraryArena);
        this.abi = KernelAbi.parse(libraryAbi(), this.library.toString());
        setScheduleSeed(Long.getLong(SEED_PROPERTY, 1L));
        this.deviceAlloc = function("emu_device_alloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        this.deviceFree = function("emu_device_free",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        this.lastFault = function("emu_last_fault", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        try {
            this.pageBytes = (long) function("emu_page_bytes", FunctionDescriptor.of(ValueLayout.JAVA_LONG)).invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the page size from " + library, t);
        }
    }

    private MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                library + " has no " + name + "(): it predates guarded device memory; rebuild it"));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }

    /** Restarts the emulation's schedule (block and thread order) from seed; shared by every launcher of the process. */
    void setScheduleSeed(long seed) {
        MemorySegment symbol = lookup.find("emu_set_schedule_seed").orElseThrow(() -> new IllegalStateException(
                library + " has no emu_set_schedule_seed(): it predates the seeded schedule; rebuild it"));
        try {
            Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG)).invokeExact(seed);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot set the emulation's schedule seed", t);
        }
    }

    /** The table the library prints from its kernels' own parameter types (the build writes the same into the jar). */
    private String libraryAbi() {
        MemorySegment symbol = lookup.find("proxynas_kernel_abi").orElseThrow(() -> new IllegalStateException(
                library + " has no proxynas_kernel_abi(): it predates the kernel ABI table; rebuild it"));
        try {
            MemorySegment text = (MemorySegment) Linker.nativeLinker()
                    .downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
            return text.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the kernel ABI table of " + library, t);
        }
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
        long size = Math.max(bytes, 1);
        long address;
        try {
            address = ((MemorySegment) deviceAlloc.invokeExact(size)).address();
        } catch (Throwable t) {
            throw new CudaException("emu_device_alloc(" + size + ") failed", t);
        }
        if (address == 0) throw new CudaException("emu_device_alloc(" + size + " bytes)", DevicePool.OUT_OF_MEMORY,
                "out of memory: mmap refused " + size + " bytes and two guard pages");
        long slack = Math.min(GUARD, Math.floorMod(address, pageBytes));
        MemorySegment before = at(address - slack, slack).fill(GUARD_BYTE);
        allocations.put(address, new Allocation(address, size, before));
        return address;
    }

    /** Throws naming what ran (after) when some allocation's pattern before its start changed: a write there. */
    private synchronized void checkGuards(String after) {
        for (Allocation a : allocations.values()) checkGuards(after, a);
    }

    private static void checkGuards(String after, Allocation a) {
        MemorySegment before = a.before();
        for (long i = 0; i < before.byteSize(); i++) {  // the furthest byte written first
            if (before.get(ValueLayout.JAVA_BYTE, i) != GUARD_BYTE) {
                throw new CudaException(after + " wrote out of bounds: " + (before.byteSize() - i)
                        + " bytes before the start of the " + a.bytes() + "-byte allocation at 0x"
                        + Long.toHexString(a.address()), null);
            }
        }
    }

    /** Where address lies relative to the allocations: "byte k past the end of the n-byte allocation at 0x..". */
    private synchronized String locate(long address) {
        for (Allocation a : allocations.values()) {
            long end = a.address() + a.bytes();
            if (address >= end && address < end + pageBytes) {
                return "byte " + (address - end) + " past the end of the " + a.bytes() + "-byte allocation at 0x"
                        + Long.toHexString(a.address());
            }
            long firstPage = a.address() - Math.floorMod(a.address(), pageBytes);
            if (address >= firstPage - pageBytes && address < a.address()) {
                return (a.address() - address) + " bytes before the start of the " + a.bytes()
                        + "-byte allocation at 0x" + Long.toHexString(a.address());
            }
        }
        return "address 0x" + Long.toHexString(address) + ", in no allocation";
    }

    @Override
    public synchronized void free(long ptr) {
        capture.refuse("free");
        Allocation a = allocations.remove(ptr);
        if (a == null) throw new IllegalArgumentException("free of an address this launcher did not allocate: 0x" + Long.toHexString(ptr));
        try {
            checkGuards("a launch before this free", a);
        } finally {
            unmap(a);
        }
    }

    private void unmap(Allocation a) {
        int rc;
        try {
            rc = (int) deviceFree.invokeExact(MemorySegment.ofAddress(a.address()), a.bytes());
        } catch (Throwable t) {
            throw new CudaException("emu_device_free failed", t);
        }
        if (rc != 0) throw new CudaException("emu_device_free(0x" + Long.toHexString(a.address()) + ", " + a.bytes()
                + " bytes)", rc, "munmap failed");
    }

    private static MemorySegment at(long address, long bytes) { return MemorySegment.ofAddress(address).reinterpret(bytes); }

    @Override
    public void upload(float[] src, long dst, int count) {
        capture.refuse("host-to-device copy of " + count + " floats");
        hostSyncs.incrementAndGet();
        MemorySegment.copy(src, 0, at(dst, 4L * count), ValueLayout.JAVA_FLOAT, 0, count);
    }

    @Override
    public void download(long src, float[] dst, int count) {
        capture.refuse("device-to-host copy of " + count + " floats (a read back)");
        hostSyncs.incrementAndGet();
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

    /** A read or write past an allocation's end faults, so the pool must not round blocks up. */
    @Override public boolean boundsChecked() { return true; }

    @Override public KernelAbi abi() { return abi; }

    @Override public int maxSharedOptIn() { return maxSharedPerBlock; }

    @Override
    public void optInShared(String kernel, int bytes) {
        abi.kernel(kernel);
        if (bytes > maxSharedPerBlock) throw new IllegalArgumentException(kernel + ": " + bytes
                + " bytes of dynamic shared memory is more than the " + maxSharedPerBlock
                + " the emulated device lets a block opt in to");
        sharedLimits.merge(kernel, bytes, Math::max);
    }

    @Override
    public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
        KernelAbi.Kernel k = abi.kernel(kernel);
        MethodHandle h = handle(kernel);  // a kernel that is not there fails here, at capture too, as cuLaunchKernel would
        int maxShared = Math.min(sharedLimits.getOrDefault(kernel, DEFAULT_SHARED_BYTES), maxSharedPerBlock);
        if (capture.active()) {
            MemorySegment packed = ArgPacker.packInto(recordingArena, k, args);  // the driver copies parameters too
            recording.add(() -> execute(kernel, h, gridX, blockX, sharedBytes, maxShared, packed));
        } else {
            synchronized (packer) {
                execute(kernel, h, gridX, blockX, sharedBytes, maxShared, packer.pack(k, args));
            }
        }
    }

    private MethodHandle handle(String kernel) {
        return handles.computeIfAbsent(kernel, k -> {
            MemorySegment symbol = lookup.find("emu_launch_" + k).orElseThrow(() -> new CudaException(
                    "emu_launch_" + k + " not found in " + library + " (kernel not written, or library out of date)", null));
            return Linker.nativeLinker().downcallHandle(symbol, ENTRY);
        });
    }

    private void execute(String kernel, MethodHandle h, int gridX, int blockX, int sharedBytes, int maxShared,
                         MemorySegment packed) {
        int rc;
        try {
            rc = (int) h.invokeExact(gridX, blockX, sharedBytes, maxShared, packed);
        } catch (Throwable t) {
            throw new CudaException("emu_launch_" + kernel + " failed", t);
        }
        if (rc == BAD_ADDRESS) throw new CudaException(kernel + " " + fault() + " (grid " + gridX + ", block "
                + blockX + "; CUDA_ERROR_ILLEGAL_ADDRESS on a GPU)", null);
        if (rc != 0) throw new CudaException("emu_launch_" + kernel + "(grid " + gridX + ", block " + blockX
                + ", shared " + sharedBytes + ")", rc, failure(rc));
        checkGuards(kernel);
    }

    /** EMU_BAD_ADDRESS: a fiber faulted (cuda_emu.h, on_segv). */
    private static final int BAD_ADDRESS = -6;

    /** "read out of bounds: byte 0 past the end of ..." for the last launch that faulted. */
    private String fault() {
        long address;
        int write;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment w = a.allocate(ValueLayout.JAVA_INT);
            address = (long) lastFault.invokeExact(w);
            write = w.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw new CudaException("emu_last_fault failed", t);
        }
        return (write != 0 ? "wrote" : "read") + " out of bounds: " + locate(address);
    }

    /** The meaning of a non-zero emu_launch_* result (the EMU_* codes of cuda/emu/cuda_emu.h). */
    private static String failure(int rc) {
        return switch (rc) {
            case -1 -> "invalid launch configuration";
            case -2 -> "no memory for the emulated threads' stacks";
            case -3 -> "divergent synchronisation: lanes of a warp wait at different barriers or shuffles (details on stderr)";
            case -4 -> "more threads per block than the kernel's __launch_bounds__ (details on stderr)";
            case -5 -> "more dynamic shared memory than the kernel's limit: 48 KiB unless opted in, never more than the "
                    + "emulated device's maxSharedOptIn (details on stderr)";
            default -> "unknown emulation failure";
        };
    }

    @Override
    public void synchronize() {
        capture.refuse("synchronize");
        hostSyncs.incrementAndGet();
    }

    @Override public long hostSyncs() { return hostSyncs.get(); }

    @Override
    public void beginCapture() {
        capture.begin();
        recording = new ArrayList<>();
        recordingArena = Arena.ofShared();
    }

    @Override
    public Graph endCapture() {
        List<Runnable> work = recording;
        Arena arena = recordingArena;
        recording = null;
        recordingArena = null;
        try {
            capture.end();
        } catch (RuntimeException e) {
            if (arena != null) arena.close();  // null: there was no capture to end
            throw e;
        }
        return new RecordedGraph(List.copyOf(work), arena);
    }

    @Override public boolean capturing() { return capture.active(); }

    /** The emulation runs launches synchronously, so the host clock measures the work itself. */
    @Override public DeviceTimer timer() { return new HostClockTimer(hostSyncs::incrementAndGet); }

    /** Recorded work replayed in order on the calling thread. */
    private final class RecordedGraph implements Graph {
        private final List<Runnable> work;
        private final Arena arguments;
        private boolean closed;

        RecordedGraph(List<Runnable> work, Arena arguments) {
            this.work = work;
            this.arguments = arguments;
        }

        @Override
        public void replay() {
            if (closed) throw new IllegalStateException("replay of a closed CUDA graph");
            capture.refuse("graph replay");
            for (Runnable r : work) r.run();
        }

        @Override public int nodes() { return work.size(); }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            arguments.close();
        }
    }

    @Override
    public synchronized void close() {
        for (Allocation a : allocations.values()) unmap(a);
        allocations.clear();
        packer.close();
        // The library stays mapped until its arena closes; kernels may not be running now (launches are synchronous).
        libraryArena.close();
    }
}
