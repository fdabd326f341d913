package org.proxynas.nn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotypes;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalNetTest {
    private final Backend backend = new CpuBackend(2);

    @AfterAll
    void close() { backend.close(); }

    @Test
    void publishedParameterCounts() {
        // DARTS logs "param size = 3.349342MB" for DARTS_V2 at L=20, C=36 (auxiliary head excluded);
        // the PVLL reference code annotates PVLL_NAS with 3.505726 M.
        EvalNet v2 = new EvalNet(backend, EvalNetConfig.cifar(10), Genotypes.DARTS_V2, 32, new Rng(0));
        assertEquals(3_349_342, v2.parameterCount());
        EvalNet pvll = new EvalNet(backend, EvalNetConfig.cifar(10), Genotypes.PVLL_NAS, 32, new Rng(0));
        assertEquals(3_505_726, pvll.parameterCount());
        // the auxiliary head (DARTS counts it separately): its shape depends only on C and the classes, not the genotype
        assertEquals(476_426, pvll.auxiliaryParameterCount());
        assertEquals(476_426, v2.auxiliaryParameterCount());
    }

    @Test
    void dropPathIsOffInEvalModeAndRejectsBadProbability() {
        EvalNet net = new EvalNet(backend, new EvalNetConfig(4, 3, 3, 1, false), Genotypes.DARTS_V2, 8, new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> net.setDropPathProbability(1f));
        net.setDropPathProbability(0.5f);
        net.eval();
        float[] img = new float[2 * 64];
        for (int i = 0; i < img.length; i++) img[i] = i % 7 - 3;
        Tensor x = backend.fromHost(img, 2, 1, 8, 8);
        float[] a = net.forward(x).toHost();
        float[] b = net.forward(x).toHost();
        assertArrayEquals(a, b, "drop-path must be off in eval mode");
    }
}
