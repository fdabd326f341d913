package org.proxynas.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the jar's fatbin needs from a GPU and its driver, as the build recorded it ({@link #RESOURCE}, written by
 * native-build/build-cuda.sh next to the fatbin): the CUDA version of the nvcc that compiled it (a driver older than
 * that cannot load it: CUDA_ERROR_UNSUPPORTED_PTX_VERSION or a bare "invalid image"), the architectures it holds
 * machine code for, and the PTX it can JIT for newer ones. Checked before the module loads, so an old driver or
 * GPU gets a message that says what to install instead of failing the first launch.
 *
 * @param cudaVersion the nvcc's CUDA version as the driver API encodes it (13000 for 13.0)
 * @param sass compute capabilities (major * 10 + minor) with machine code
 * @param ptx the compute capability of the embedded PTX (runs on that and newer GPUs), 0 for none
 */
public record FatbinTargets(int cudaVersion, List<Integer> sass, int ptx) {
    public static final String RESOURCE = "/org/proxynas/cuda/fatbin.properties";

    public FatbinTargets {
        sass = List.copyOf(sass);
    }

    /** Why this driver cannot load the fatbin, or empty. driverVersion as cuDriverGetVersion returns it. */
    public Optional<String> driverProblem(int driverVersion) {
        if (driverVersion >= cudaVersion) return Optional.empty();
        return Optional.of("the driver supports CUDA " + version(driverVersion) + ", but the kernels were built with CUDA "
                + version(cudaVersion) + ": install an NVIDIA driver for CUDA " + version(cudaVersion) + " or newer"
                + " (see NVIDIA's CUDA toolkit release notes for the minimum driver), or rebuild the bundle with an"
                + " nvcc no newer than CUDA " + version(driverVersion));
    }

    /** Why a GPU of this compute capability cannot run the fatbin, or empty. */
    public Optional<String> deviceProblem(int major, int minor) {
        int cc = 10 * major + minor;
        if (sass.contains(cc) || (ptx > 0 && cc >= ptx)) return Optional.empty();
        return Optional.of("compute capability " + major + "." + minor + " is not in the kernels' targets (machine code "
                + "for " + sass.stream().map(c -> c / 10 + "." + c % 10).toList() + (ptx > 0 ? ", PTX for " + ptx / 10
                + "." + ptx % 10 + " and newer" : "") + "): rebuild with that -gencode added in native-build/build-cuda.sh");
    }

    private static String version(int v) { return v / 1000 + "." + v % 1000 / 10; }

    /** The targets recorded in this jar, or empty when the fatbin was not built into it. */
    public static Optional<FatbinTargets> resource() {
        try (InputStream in = FatbinTargets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return Optional.empty();
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses {@code cuda.version=13.0}, {@code sass=80,86}, {@code ptx=90}; source names the text in messages. */
    public static FatbinTargets parse(String text, String source) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
        String cuda = required(p, "cuda.version", source);
        String[] mm = cuda.split("\\.");
        try {
            int version = 1000 * Integer.parseInt(mm[0]) + 10 * (mm.length > 1 ? Integer.parseInt(mm[1]) : 0);
            List<Integer> sass = Arrays.stream(required(p, "sass", source).split(",")).map(String::strip)
                    .map(Integer::parseInt).toList();
            return new FatbinTargets(version, sass, Integer.parseInt(p.getProperty("ptx", "0").strip()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(source + ": expected cuda.version=MAJOR.MINOR, sass=CC,CC,... and ptx=CC "
                    + "(integers), got " + p, e);
        }
    }

    private static String required(Properties p, String key, String source) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalStateException(source + ": missing " + key);
        return v.strip();
    }
}
