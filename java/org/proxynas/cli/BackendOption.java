package org.proxynas.cli;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaProbe;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Option;

/** --backend and --threads, shared by every command that computes. */
public final class BackendOption {
    public enum Kind { auto, cpu, cuda }

    @Option(names = "--backend", defaultValue = "auto", description = "Compute backend: auto (= cpu until the CUDA kernels are complete), cpu or cuda (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.auto;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).")
    int threads;

    public Backend create() {
        checkSupported();
        return threads == 0 ? new CpuBackend() : new CpuBackend(threads);
    }

    /** Fails early, before any output is written, for a backend this build cannot run the whole engine on. */
    public void checkSupported() {
        if (threads < 0) throw new UserError("--threads must be >= 0, got " + threads);
        if (kind == Kind.cuda) {
            CudaProbe.Status s = CudaProbe.probe();
            throw new UserError("--backend cuda: " + (s.available()
                    ? "the CUDA backend has every kernel written but has not run on a GPU yet "
                    + "(org.proxynas.cuda.CudaKernels); use --backend cpu"
                    : "not available here: " + s.reason()));
        }
    }
}
