package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Says whether the CUDA backend can run here, and exactly why not: no driver library, driver error, no device,
 * or kernels not built into this jar. Binds libcuda.so.1 through the foreign-function API; needs no toolkit.
 */
public final class CudaProbe {
    /** The fatbin the native build puts into the jar. */
    public static final String FATBIN_RESOURCE = "/org/proxynas/cuda/proxynas.fatbin";

    private CudaProbe() {}

    public record Status(boolean available, String reason, int deviceCount, int driverVersion, boolean kernelsBuilt) {}

    public static Status probe() {
        boolean kernels = CudaProbe.class.getResource(FATBIN_RESOURCE) != null;
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup cuda;
            try {
                cuda = SymbolLookup.libraryLookup("libcuda.so.1", arena);
            } catch (IllegalArgumentException e) {
                return new Status(false, "no libcuda.so.1 on the library path (no NVIDIA driver installed)", 0, 0, kernels);
            }
            MethodHandle cuInit = linker.downcallHandle(cuda.findOrThrow("cuInit"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle cuDriverGetVersion = linker.downcallHandle(cuda.findOrThrow("cuDriverGetVersion"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle cuDeviceGetCount = linker.downcallHandle(cuda.findOrThrow("cuDeviceGetCount"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            int rc = (int) cuInit.invokeExact(0);
            if (rc != 0) return new Status(false, "cuInit failed with CUresult " + rc + " (driver present, no usable device?)", 0, 0, kernels);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            rc = (int) cuDriverGetVersion.invokeExact(out);
            int driver = rc == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            rc = (int) cuDeviceGetCount.invokeExact(out);
            int count = rc == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            if (count == 0) return new Status(false, "driver " + driver + " found, but no CUDA device", 0, driver, kernels);
            if (!kernels) {
                return new Status(false, count + " device(s), driver " + driver + ", but the CUDA kernels were not built into this jar"
                        + " (build on a machine with nvcc at /usr/local/cuda/bin)", count, driver, false);
            }
            java.util.Optional<String> old = FatbinTargets.resource().flatMap(t -> t.driverProblem(driver));
            if (old.isPresent()) return new Status(false, count + " device(s), but " + old.get(), count, driver, true);
            return new Status(true, count + " device(s), driver " + driver, count, driver, true);
        } catch (Throwable t) {
            return new Status(false, "driver probe failed: " + t, 0, 0, kernels);
        }
    }

    /** One line for {@code proxynas info}. */
    public static String describe() {
        Status s = probe();
        return (s.available() ? "available: " : "unavailable: ") + s.reason();
    }
}
