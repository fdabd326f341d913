package org.proxynas.cli;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaInfo;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code proxynas info}: version, Java, each backend's availability, each GPU, and the CUDA emulation library. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the version, the Java runtime and what each backend (CPU, CUDA) can do here.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("proxynas " + VersionProvider.version());
        System.out.println("Java     " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        try (CpuBackend cpu = new CpuBackend()) {
            System.out.println("cpu      " + cpu.describe());
        }
        CudaInfo.lines().forEach(System.out::println);
        return 0;
    }
}
