package org.proxynas.cuda;

import org.proxynas.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CUDA lines of {@code proxynas info}: the driver version, each GPU (name, memory, compute capability), whether
 * the jar's kernels load on it and pass the startup self-check against the CPU, and the emulation library.
 */
public final class CudaInfo {
    private CudaInfo() {}

    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        CudaProbe.Status status = CudaProbe.probe();
        if (status.deviceCount() == 0) {
            out.add("cuda     " + CudaProbe.describe());
        } else {
            try {
                gpuLines(out, status);
            } catch (RuntimeException e) {
                out.add("cuda     driver query failed: " + e.getMessage());
            }
        }
        out.add("cuda-emu " + emulationLine());
        return out;
    }

    private static void gpuLines(List<String> out, CudaProbe.Status status) {
        Optional<CudaDriver> loaded = CudaDriver.load();
        if (loaded.isEmpty()) {
            out.add("cuda     " + CudaProbe.describe());
            return;
        }
        CudaDriver d = loaded.get();
        int version = d.driverVersion();
        int count = d.deviceCount();
        out.add("cuda     driver " + version / 1000 + "." + version % 1000 / 10 + ", " + count + " device(s)"
                + (status.kernelsBuilt() ? "" : "; kernels not built into this jar (build on a machine with nvcc at /usr/local/cuda/bin)"));
        for (int i = 0; i < count; i++) {
            int dev = d.device(i);
            out.add(String.format(Locale.ROOT, "gpu %-4d %s, %.1f GiB, compute capability %d.%d: %s", i, d.deviceName(dev),
                    d.totalMemory(dev) / (double) (1L << 30), d.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR, dev),
                    d.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR, dev),
                    status.kernelsBuilt() ? kernelStatus(d, i) : "kernels not built"));
        }
    }

    /** Whether the fatbin loads on GPU ordinal, and whether the kernels then agree with the CPU. */
    private static String kernelStatus(CudaDriver d, int ordinal) {
        CudaBackend gpu;
        try {
            gpu = new CudaBackend(new DriverLauncher(d, ordinal));
        } catch (RuntimeException e) {
            return "kernels failed to load: " + e.getMessage();
        }
        try (gpu; CpuBackend cpu = new CpuBackend(1)) {
            CudaSelfCheck.Result check = CudaSelfCheck.run(gpu, cpu);
            return "kernels loaded, self-check " + (check.passed() ? "passed" : "FAILED: " + check.detail());
        } catch (RuntimeException e) {
            return "kernels loaded, self-check failed to run: " + e.getMessage();
        }
    }

    private static String emulationLine() {
        String what = "CPU emulation of the CUDA kernels (slow; for the tests and --backend emulated): ";
        if (EmulatedLauncher.available()) return what + "present, " + EmulatedLauncher.configuredLibrary().toAbsolutePath();
        return what + "absent (" + EmulatedLauncher.configuredLibrary() + "; built by native-build/build-cuda.sh when g++ is present)";
    }
}
