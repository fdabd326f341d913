package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API, bound through the foreign-function API to {@code libcuda.so.1} only (docs/architecture.md#backends).
 * Versioned symbols ({@code cuMemAlloc_v2}, ...) and the primary context; every return code is checked and a
 * failure becomes a {@link CudaException} naming the call and {@code cuGetErrorString}.
 *
 * <p>Handles (contexts, modules, functions) are raw {@link MemorySegment} addresses; device pointers
 * ({@code CUdeviceptr}) and sizes are {@code long}; {@code CUdevice} is an {@code int}. The driver library stays
 * loaded for the life of the process.
 */
public final class CudaDriver {
    public static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    public static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    /** CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: the most shared memory a kernel may opt in to. */
    public static final int ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
    /** CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES. */
    public static final int FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    /** CU_STREAM_NON_BLOCKING: the stream does not synchronise with the legacy default stream. */
    public static final int STREAM_NON_BLOCKING = 0x1;
    /** CU_EVENT_DEFAULT: an event that records timing. */
    public static final int EVENT_DEFAULT = 0x0;
    /** CU_STREAM_CAPTURE_MODE_GLOBAL: unsafe calls (synchronous copies, allocation) from any thread fail the capture. */
    public static final int CAPTURE_MODE_GLOBAL = 0;

    private static volatile CudaDriver instance;

    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceTotalMem, cuDeviceGetAttribute, cuDevicePrimaryCtxRetain, cuCtxSetCurrent, cuMemAlloc, cuMemFree,
            cuMemcpyHtoD, cuMemcpyDtoH, cuMemcpyDtoD, cuModuleLoadData, cuModuleGetFunction, cuLaunchKernel,
            cuCtxSynchronize, cuGetErrorString, cuStreamCreate, cuStreamDestroy, cuStreamSynchronize,
            cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync, cuEventCreate, cuEventRecord, cuEventSynchronize,
            cuEventElapsedTime, cuEventDestroy, cuStreamBeginCapture, cuStreamEndCapture, cuGraphInstantiate,
            cuGraphLaunch, cuGraphExecDestroy, cuGraphDestroy, cuGraphGetNodes, cuMemsetD8Async, cuModuleUnload,
            cuFuncSetAttribute;
    /** The symbol cuEventElapsedTime was bound to: the _v2 name of CUDA 12.8+ drivers, else the original. */
    private final String eventElapsedTimeName;

    private CudaDriver(SymbolLookup lib) {
        cuInit = bind(lib, "cuInit", JAVA_INT);
        cuDriverGetVersion = bind(lib, "cuDriverGetVersion", ADDRESS);
        cuDeviceGetCount = bind(lib, "cuDeviceGetCount", ADDRESS);
        cuDeviceGet = bind(lib, "cuDeviceGet", ADDRESS, JAVA_INT);
        cuDeviceGetName = bind(lib, "cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceTotalMem = bind(lib, "cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        cuDeviceGetAttribute = bind(lib, "cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        cuDevicePrimaryCtxRetain = bind(lib, "cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        cuCtxSetCurrent = bind(lib, "cuCtxSetCurrent", ADDRESS);
        cuMemAlloc = bind(lib, "cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        cuMemFree = bind(lib, "cuMemFree_v2", JAVA_LONG);
        cuMemcpyHtoD = bind(lib, "cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        cuMemcpyDtoH = bind(lib, "cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        cuMemcpyDtoD = bind(lib, "cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        cuModuleLoadData = bind(lib, "cuModuleLoadData", ADDRESS, ADDRESS);
        cuModuleGetFunction = bind(lib, "cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        cuModuleUnload = bind(lib, "cuModuleUnload", ADDRESS);
        cuFuncSetAttribute = bind(lib, "cuFuncSetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        // f, grid x/y/z, block x/y/z, sharedMemBytes, hStream, kernelParams, extra
        cuLaunchKernel = bind(lib, "cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        cuCtxSynchronize = bind(lib, "cuCtxSynchronize");
        cuGetErrorString = bind(lib, "cuGetErrorString", JAVA_INT, ADDRESS);
        // Streams, events and graphs: the names cuda.h (CUDA 13) maps the unversioned API to.
        cuStreamCreate = bind(lib, "cuStreamCreate", ADDRESS, JAVA_INT);
        cuStreamDestroy = bind(lib, "cuStreamDestroy_v2", ADDRESS);
        cuStreamSynchronize = bind(lib, "cuStreamSynchronize", ADDRESS);
        cuMemcpyHtoDAsync = bind(lib, "cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        cuMemcpyDtoHAsync = bind(lib, "cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuMemcpyDtoDAsync = bind(lib, "cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuMemsetD8Async = bind(lib, "cuMemsetD8Async", JAVA_LONG, ValueLayout.JAVA_BYTE, JAVA_LONG, ADDRESS);
        cuEventCreate = bind(lib, "cuEventCreate", ADDRESS, JAVA_INT);
        cuEventRecord = bind(lib, "cuEventRecord", ADDRESS, ADDRESS);
        cuEventSynchronize = bind(lib, "cuEventSynchronize", ADDRESS);
        // Only drivers of CUDA 12.8 and newer export the _v2 timer; older ones have the original (same signature).
        eventElapsedTimeName = lib.find("cuEventElapsedTime_v2").isPresent() ? "cuEventElapsedTime_v2" : "cuEventElapsedTime";
        cuEventElapsedTime = bind(lib, eventElapsedTimeName, ADDRESS, ADDRESS, ADDRESS);
        cuEventDestroy = bind(lib, "cuEventDestroy_v2", ADDRESS);
        cuStreamBeginCapture = bind(lib, "cuStreamBeginCapture_v2", ADDRESS, JAVA_INT);
        cuStreamEndCapture = bind(lib, "cuStreamEndCapture", ADDRESS, ADDRESS);
        // cuGraphInstantiate(CUgraphExec *, CUgraph, unsigned long long flags)
        cuGraphInstantiate = bind(lib, "cuGraphInstantiateWithFlags", ADDRESS, ADDRESS, JAVA_LONG);
        cuGraphLaunch = bind(lib, "cuGraphLaunch", ADDRESS, ADDRESS);
        cuGraphExecDestroy = bind(lib, "cuGraphExecDestroy", ADDRESS);
        cuGraphDestroy = bind(lib, "cuGraphDestroy", ADDRESS);
        cuGraphGetNodes = bind(lib, "cuGraphGetNodes", ADDRESS, ADDRESS, ADDRESS);
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout... args) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), FunctionDescriptor.of(JAVA_INT, args));
    }

    /**
     * The driver, loaded and initialised ({@code cuInit(0)}) once per process; empty when there is no
     * {@code libcuda.so.1}. Throws {@link CudaException} when the library is there but {@code cuInit} fails.
     */
    public static Optional<CudaDriver> load() {
        CudaDriver d = instance;
        if (d != null) return Optional.of(d);
        synchronized (CudaDriver.class) {
            if (instance == null) {
                SymbolLookup lib;
                try {
                    lib = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
                CudaDriver driver = new CudaDriver(lib);
                driver.check("cuInit", call(() -> (int) driver.cuInit.invokeExact(0)));
                instance = driver;
            }
            return Optional.of(instance);
        }
    }

    // ---- devices ---------------------------------------------------------------------------------------------

    public int driverVersion() { return intOut("cuDriverGetVersion", out -> (int) cuDriverGetVersion.invokeExact(out)); }

    public int deviceCount() { return intOut("cuDeviceGetCount", out -> (int) cuDeviceGetCount.invokeExact(out)); }

    /** The CUdevice handle of the ordinal-th device. */
    public int device(int ordinal) { return intOut("cuDeviceGet", out -> (int) cuDeviceGet.invokeExact(out, ordinal)); }

    public String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            check("cuDeviceGetName", call(() -> (int) cuDeviceGetName.invokeExact(buf, 256, device)));
            return buf.getString(0);
        }
    }

    public long totalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", call(() -> (int) cuDeviceTotalMem.invokeExact(out, device)));
            return out.get(JAVA_LONG, 0);
        }
    }

    public int attribute(int attribute, int device) {
        return intOut("cuDeviceGetAttribute", out -> (int) cuDeviceGetAttribute.invokeExact(out, attribute, device));
    }

    // ---- context -----------------------------------------------------------------------------------------------

    /** Retains the device's primary context (never {@code cuCtxCreate}: its signature changed in CUDA 13). */
    public MemorySegment primaryContext(int device) {
        return handleOut("cuDevicePrimaryCtxRetain", out -> (int) cuDevicePrimaryCtxRetain.invokeExact(out, device));
    }

    /** Makes ctx current on the calling thread (contexts are per thread). */
    public void setCurrent(MemorySegment ctx) { check("cuCtxSetCurrent", call(() -> (int) cuCtxSetCurrent.invokeExact(ctx))); }

    public void synchronize() { check("cuCtxSynchronize", call(() -> (int) cuCtxSynchronize.invokeExact())); }

    // ---- memory ------------------------------------------------------------------------------------------------

    public long malloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuMemAlloc_v2(" + bytes + " bytes)", call(() -> (int) cuMemAlloc.invokeExact(out, bytes)));
            return out.get(JAVA_LONG, 0);
        }
    }

    public void free(long ptr) { check("cuMemFree_v2", call(() -> (int) cuMemFree.invokeExact(ptr))); }

    public void copyHtoD(long dst, MemorySegment src, long bytes) {
        check("cuMemcpyHtoD_v2", call(() -> (int) cuMemcpyHtoD.invokeExact(dst, src, bytes)));
    }

    public void copyDtoH(MemorySegment dst, long src, long bytes) {
        check("cuMemcpyDtoH_v2", call(() -> (int) cuMemcpyDtoH.invokeExact(dst, src, bytes)));
    }

    public void copyDtoD(long dst, long src, long bytes) {
        check("cuMemcpyDtoD_v2", call(() -> (int) cuMemcpyDtoD.invokeExact(dst, src, bytes)));
    }

    // ---- modules and launches ------------------------------------------------------------------------------------

    /** Loads a fatbin/cubin/PTX image (a native copy of it) into the current context. */
    public MemorySegment moduleLoadData(MemorySegment image) {
        return handleOut("cuModuleLoadData", out -> (int) cuModuleLoadData.invokeExact(out, image));
    }

    /** cuFuncSetAttribute(f, attribute, value). */
    public void funcSetAttribute(MemorySegment f, int attribute, int value) {
        check("cuFuncSetAttribute(" + attribute + ", " + value + ")",
                call(() -> (int) cuFuncSetAttribute.invokeExact(f, attribute, value)));
    }

    public void moduleUnload(MemorySegment module) {
        check("cuModuleUnload", call(() -> (int) cuModuleUnload.invokeExact(module)));
    }

    public MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            return handleOut("cuModuleGetFunction(" + name + ")",
                    out -> (int) cuModuleGetFunction.invokeExact(out, module, cname));
        }
    }

    /** Queues f on stream; kernelParams is an array of pointers, one per kernel argument. */
    public void launchKernel(String name, MemorySegment f, int gridX, int blockX, int sharedBytes, MemorySegment stream,
                             MemorySegment kernelParams) {
        check("cuLaunchKernel(" + name + ", grid " + gridX + ", block " + blockX + ")", call(() -> (int) cuLaunchKernel.invokeExact(
                f, gridX, 1, 1, blockX, 1, 1, sharedBytes, stream, kernelParams, MemorySegment.NULL)));
    }

    // ---- streams and asynchronous copies -------------------------------------------------------------------------

    public MemorySegment streamCreate(int flags) {
        return handleOut("cuStreamCreate", out -> (int) cuStreamCreate.invokeExact(out, flags));
    }

    public void streamDestroy(MemorySegment stream) { check("cuStreamDestroy_v2", call(() -> (int) cuStreamDestroy.invokeExact(stream))); }

    public void streamSynchronize(MemorySegment stream) {
        check("cuStreamSynchronize", call(() -> (int) cuStreamSynchronize.invokeExact(stream)));
    }

    /** Queues a host-to-device copy; src must stay valid until the stream reaches it. */
    public void copyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        check("cuMemcpyHtoDAsync_v2", call(() -> (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream)));
    }

    /** Queues a device-to-host copy; dst holds the data once the stream is synchronised. */
    public void copyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        check("cuMemcpyDtoHAsync_v2", call(() -> (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream)));
    }

    public void copyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
        check("cuMemcpyDtoDAsync_v2", call(() -> (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream)));
    }

    /** Queues bytes of zeros at dst. */
    public void zeroAsync(long dst, long bytes, MemorySegment stream) {
        check("cuMemsetD8Async", call(() -> (int) cuMemsetD8Async.invokeExact(dst, (byte) 0, bytes, stream)));
    }

    // ---- events --------------------------------------------------------------------------------------------------

    public MemorySegment eventCreate(int flags) {
        return handleOut("cuEventCreate", out -> (int) cuEventCreate.invokeExact(out, flags));
    }

    public void eventRecord(MemorySegment event, MemorySegment stream) {
        check("cuEventRecord", call(() -> (int) cuEventRecord.invokeExact(event, stream)));
    }

    public void eventSynchronize(MemorySegment event) {
        check("cuEventSynchronize", call(() -> (int) cuEventSynchronize.invokeExact(event)));
    }

    /** Milliseconds between two completed events. */
    public float eventElapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT);
            check(eventElapsedTimeName, call(() -> (int) cuEventElapsedTime.invokeExact(out, start, end)));
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    public void eventDestroy(MemorySegment event) { check("cuEventDestroy_v2", call(() -> (int) cuEventDestroy.invokeExact(event))); }

    // ---- graphs --------------------------------------------------------------------------------------------------

    public void streamBeginCapture(MemorySegment stream, int mode) {
        check("cuStreamBeginCapture_v2", call(() -> (int) cuStreamBeginCapture.invokeExact(stream, mode)));
    }

    /** Ends a capture; fails (CUDA_ERROR_STREAM_CAPTURE_INVALIDATED) when an unsupported call broke it. */
    public MemorySegment streamEndCapture(MemorySegment stream) {
        return handleOut("cuStreamEndCapture", out -> (int) cuStreamEndCapture.invokeExact(stream, out));
    }

    public MemorySegment graphInstantiate(MemorySegment graph) {
        return handleOut("cuGraphInstantiateWithFlags", out -> (int) cuGraphInstantiate.invokeExact(out, graph, 0L));
    }

    /** How many nodes a graph holds (cuGraphGetNodes with a null node array). */
    public long graphNodeCount(MemorySegment graph) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuGraphGetNodes", call(() -> (int) cuGraphGetNodes.invokeExact(graph, MemorySegment.NULL, out)));
            return out.get(JAVA_LONG, 0);
        }
    }

    public void graphLaunch(MemorySegment exec, MemorySegment stream) {
        check("cuGraphLaunch", call(() -> (int) cuGraphLaunch.invokeExact(exec, stream)));
    }

    public void graphExecDestroy(MemorySegment exec) {
        check("cuGraphExecDestroy", call(() -> (int) cuGraphExecDestroy.invokeExact(exec)));
    }

    public void graphDestroy(MemorySegment graph) { check("cuGraphDestroy", call(() -> (int) cuGraphDestroy.invokeExact(graph))); }

    // ---- errors ------------------------------------------------------------------------------------------------

    /** cuGetErrorString of a CUresult, or null when the driver does not know the code. */
    public String errorString(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = call(() -> (int) cuGetErrorString.invokeExact(code, out));
            MemorySegment p = out.get(ADDRESS, 0);
            if (rc != 0 || p.equals(MemorySegment.NULL)) return null;
            return p.reinterpret(1024).getString(0);
        }
    }

    void check(String callName, int code) {
        if (code != 0) throw new CudaException(callName, code, errorString(code));
    }

    @FunctionalInterface
    private interface NativeCall { int run() throws Throwable; }

    @FunctionalInterface
    private interface OutCall { int run(MemorySegment out) throws Throwable; }

    private static int call(NativeCall c) {
        try {
            return c.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("native call failed", t);
        }
    }

    private int intOut(String name, OutCall c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check(name, call(() -> c.run(out)));
            return out.get(JAVA_INT, 0);
        }
    }

    private MemorySegment handleOut(String name, OutCall c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(name, call(() -> c.run(out)));
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }
}
