package org.proxynas.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.proxynas.cpu.CpuBackend;

/**
 * The backend pair every CUDA check compares: the CUDA backend under test (the emulation, or a GPU in the Gpu*
 * subclasses) and the one-thread CPU reference, opened once per test class and closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaAgainstCpu {
    protected CudaBackend cuda;
    protected CpuBackend cpu;

    abstract CudaBackend createCuda();

    @BeforeAll
    void open() {
        cuda = createCuda();
        cpu = new CpuBackend(1);
    }

    @AfterAll
    void close() {
        if (cuda != null) cuda.close();
        if (cpu != null) cpu.close();
    }
}
