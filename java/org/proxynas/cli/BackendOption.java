package org.proxynas.cli;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaBackend;
import org.proxynas.cuda.CudaProbe;
import org.proxynas.cuda.CudaSelfCheck;
import org.proxynas.cuda.EmulatedLauncher;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** --backend, --device and --threads, shared by every command that computes. */
public final class BackendOption {
    public enum Kind { auto, cpu, cuda, emulated }

    @Option(names = "--backend", defaultValue = "auto",
            description = "Compute backend: auto (CUDA when a GPU is usable and passes a startup self-check against the CPU, else the CPU), cpu, cuda, or emulated (the CUDA kernels on the CPU through the emulation library: slow, for checking the CUDA path without a GPU) (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.auto;

    @Option(names = "--device", defaultValue = "0", description = "GPU ordinal for --backend cuda or auto (default: ${DEFAULT-VALUE}).")
    int device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).")
    int threads;

    /** The backend the options name; prints one line to stderr saying which was chosen and why. */
    public Backend create() {
        checkSupported();
        return open(kind, threads, device, System.err);
    }

    /**
     * Fails early, before any output is written, on bad values and on {@code --backend cuda} where CUDA cannot run
     * (the message says why: no driver, no GPU, kernels not built).
     */
    public void checkSupported() {
        if (threads < 0) throw new UserError("--threads must be >= 0, got " + threads);
        if (device < 0) throw new UserError("--device must be >= 0, got " + device);
        if (kind == Kind.emulated && !EmulatedLauncher.available()) {
            throw new UserError("--backend emulated: no CUDA emulation library at " + EmulatedLauncher.configuredLibrary()
                    + " (built by native-build/build-cuda.sh when g++ is present; -D" + EmulatedLauncher.LIBRARY_PROPERTY
                    + "=PATH names another)");
        }
        if (kind == Kind.cuda) {
            CudaProbe.Status s = CudaProbe.probe();
            if (!s.available()) throw new UserError("--backend cuda: not available here: " + s.reason());
            if (device >= s.deviceCount()) {
                throw new UserError("--device " + device + ": this machine has " + s.deviceCount() + " CUDA device(s), numbered from 0");
            }
        }
    }

    /** Opens kind (cpu: threads, 0 = all cores; cuda: GPU ordinal device), saying on log which backend and why. */
    static Backend open(Kind kind, int threads, int device, PrintStream log) {
        return switch (kind) {
            case cpu -> {
                Backend b = cpu(threads);
                log.println("backend: cpu (--backend cpu): " + b.describe());
                yield b;
            }
            case cuda -> {
                Backend b = cuda(device);
                log.println("backend: cuda (--backend cuda): " + b.describe());
                yield b;
            }
            case emulated -> {
                Backend b = CudaBackend.emulated();
                log.println("backend: emulated (--backend emulated: the CUDA kernels on the CPU, slow): " + b.describe());
                yield b;
            }
            case auto -> auto(threads, device, log);
        };
    }

    private static Backend cpu(int threads) { return threads == 0 ? new CpuBackend() : new CpuBackend(threads); }

    private static Backend cuda(int device) {
        CudaProbe.Status s = CudaProbe.probe();
        if (!s.available()) throw new UserError("--backend cuda: not available here: " + s.reason());
        try {
            return CudaBackend.device(device);
        } catch (RuntimeException e) {
            throw new UserError("--backend cuda: GPU " + device + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** CUDA when it is available, opens and passes the self-check against the CPU; otherwise the CPU. */
    private static Backend auto(int threads, int device, PrintStream log) {
        CudaProbe.Status s = CudaProbe.probe();
        String why;
        if (!s.available()) {
            why = "CUDA unavailable: " + s.reason();
        } else if (device >= s.deviceCount()) {
            why = "no CUDA device " + device + " (" + s.deviceCount() + " present)";
        } else {
            Backend gpu = null;
            try {
                gpu = CudaBackend.device(device);
                CudaSelfCheck.Result check;
                try (CpuBackend reference = new CpuBackend(1)) {
                    check = CudaSelfCheck.run(gpu, reference);
                }
                if (check.passed()) {
                    log.println("backend: cuda (auto: " + gpu.describe() + "; self-check passed)");
                    return gpu;
                }
                why = "CUDA self-check failed: " + check.detail();
            } catch (RuntimeException e) {
                why = "CUDA device " + device + " could not be opened: " + e.getMessage();
            }
            if (gpu != null) gpu.close();
        }
        Backend b = cpu(threads);
        log.println("backend: cpu (auto: " + why + "): " + b.describe());
        return b;
    }
}
