package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.data.Dataset;
import org.proxynas.data.SyntheticData;
import org.proxynas.data.SyntheticSpec;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.Genotypes;
import org.proxynas.tensor.Backend;
import org.proxynas.train.RetrainConfig;
import org.proxynas.train.Retrainer;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@code proxynas train} does, on the CUDA backend under the emulation: a genotype's evaluation network with
 * the auxiliary head, drop-path and cutout trains from images on the device and is evaluated, and its losses agree
 * with the CPU's. Tolerance 1e-4 relative: the kernels agree with the CPU to rounding (bit-exact or within 1e-5
 * relative in their conformance suites), and two steps with one update between cannot amplify that to 1e-4. Tiny
 * (C=2, L=3, 20x20 images, the smallest whose maps reach the auxiliary head at 5x5, batch 2, two steps) because
 * the emulation runs every CUDA thread of a block in turn on one host thread.
 */
class EmulatedRetrainTest {
    private static Retrainer.Result train(Backend b, Path metrics) {
        Dataset d = SyntheticData.generate(new SyntheticSpec(4, 2, 3, 20, 20, 3, 13));
        RetrainConfig cfg = new RetrainConfig(1, 2, 0.05, 0.9, 3e-4, 5, 0.4, 0.2, 4, 1, 3);
        return new Retrainer(b, new MetricsLog(metrics)).train(Genotypes.DARTS_V2, d, new EvalNetConfig(2, 3, d.classes(), d.channels(), true), cfg);
    }

    @Test
    void retrainingOnEmulatedCudaMatchesTheCpu(@TempDir Path dir) {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        Retrainer.Result cpu, cuda;
        try (Backend b = new CpuBackend(1)) {
            cpu = train(b, dir.resolve("cpu.jsonl"));
        }
        try (Backend b = CudaBackend.emulated()) {
            cuda = train(b, dir.resolve("cuda.jsonl"));
        }
        assertTrue(Double.isFinite(cuda.trainLoss()) && Double.isFinite(cuda.testLoss()), cuda.toString());
        assertEquals(cpu.parameters(), cuda.parameters());
        assertEquals(cpu.trainLoss(), cuda.trainLoss(), 1e-4 * Math.abs(cpu.trainLoss()), "training loss");
        assertEquals(cpu.testLoss(), cuda.testLoss(), 1e-4 * Math.abs(cpu.testLoss()), "test loss");
    }
}
