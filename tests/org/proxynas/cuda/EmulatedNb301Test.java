package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.nb301.Nb301Surrogate;
import org.proxynas.nb301.Prediction;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.RandomArchitectures;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NB301 surrogate on the CUDA backend's kernels (emulated on the CPU) against the CPU backend, batched and
 * single. Tolerance 1e-6 absolute on accuracy and cross-entropy, 1e-6 relative on the runtimes: the products are
 * bit-exact between the two backends (EmulatedDenseConformanceTest), so only the sigmoid (double exp on the device,
 * within one float ulp of the CPU's) differs, about 6e-8 before the output scaling (slope below 4).
 */
class EmulatedNb301Test {
    @Test
    void surrogateOnCudaKernelsMatchesTheCpu() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (native-build/build-emulation.sh)");
        Rng rng = new Rng(42);
        List<Genotype> gs = new ArrayList<>();
        for (int i = 0; i < 40; i++) gs.add(RandomArchitectures.genotype(rng));
        try (CpuBackend cpu = new CpuBackend(1); CudaBackend cuda = CudaBackend.emulated();
             Nb301Surrogate onCpu = Nb301Surrogate.load(cpu); Nb301Surrogate onCuda = Nb301Surrogate.load(cuda)) {
            for (double epoch : new double[]{1, 42.5, 98}) {
                Prediction[] want = onCpu.predict(gs, epoch);
                Prediction[] got = onCuda.predict(gs, epoch);
                Prediction single = onCuda.predict(List.of(gs.get(3)), epoch)[0];
                for (int i = 0; i < gs.size(); i++) close(want[i], got[i], "epoch " + epoch + " genotype " + i);
                close(want[3], single, "single, epoch " + epoch);
                assertTrue(want[0].accuracy() > 0.3, "a real prediction: " + want[0]);
            }
        }
    }

    private static void close(Prediction want, Prediction got, String what) {
        assertEquals(want.accuracy(), got.accuracy(), 1e-6, what);
        assertEquals(want.crossEntropy(), got.crossEntropy(), 1e-6, what);
        assertEquals(want.runtimeSeconds(), got.runtimeSeconds(), 1e-6 * want.runtimeSeconds(), what);
        assertEquals(want.runtimeIncrease(), got.runtimeIncrease(), 1e-6 * want.runtimeIncrease(), what);
    }
}
