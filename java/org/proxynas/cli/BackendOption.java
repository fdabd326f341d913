package org.proxynas.cli;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaProbe;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Option;

/** --backend and --threads, shared by every command that computes. */
public final class BackendOption {
    public enum Kind { auto, cpu, cuda }

    @Option(names = "--backend", defaultValue = "auto", description = "Compute backend: auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.auto;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).")
    int threads;

    public Backend create() {
        if (threads < 0) throw new UserError("--threads must be >= 0, got " + threads);
        if (kind == Kind.cuda) {
            throw new UserError("--backend cuda: the CUDA backend is not available here: " + CudaProbe.probe().reason());
        }
        return threads == 0 ? new CpuBackend() : new CpuBackend(threads);
    }
}
