package org.proxynas.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CUDA lines of {@code proxynas info}: each GPU, whether the kernels load, and the emulation library. */
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
        out.add("cuda     driver " + version / 1000 + "." + version % 1000 / 10 + ", " + count + " device(s)");
        for (int i = 0; i < count; i++) {
            int dev = d.device(i);
            out.add(String.format("gpu %-4d %s, %.1f GiB, compute capability %d.%d", i, d.deviceName(dev),
                    d.totalMemory(dev) / (double) (1L << 30), d.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR, dev),
                    d.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR, dev)));
        }
        if (!status.kernelsBuilt()) {
            out.add("kernels  not built into this jar (build on a machine with nvcc at /usr/local/cuda/bin)");
            return;
        }
        try (DriverLauncher launcher = new DriverLauncher(d, 0)) {
            out.add("kernels  fatbin loaded on GPU 0 (" + launcher.describe() + ")");
        } catch (RuntimeException e) {
            out.add("kernels  fatbin failed to load on GPU 0: " + e.getMessage());
        }
    }

    private static String emulationLine() {
        if (EmulatedLauncher.available()) return "present: " + EmulatedLauncher.configuredLibrary().toAbsolutePath();
        return "absent (" + EmulatedLauncher.configuredLibrary() + "; built by native-build/build-cuda.sh when g++ is present)";
    }
}
