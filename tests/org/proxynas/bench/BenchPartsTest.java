package org.proxynas.bench;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.cuda.CudaBackend;
import org.proxynas.cuda.EmulatedLauncher;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BenchPartsTest {
    private static BenchConfig tiny() {
        return new BenchConfig(4, 3, 8, 2, 3, List.of(BenchMode.MIXTURE), List.of(BenchPhase.TRAIN_STEP),
                null, null, null, 2, 60, 0);
    }

    /** The values numpy/the peer's pct() give: linear interpolation between the nearest ranks. */
    @Test
    void percentilesInterpolateAsThePeerDoes() {
        List<Double> xs = List.of(4.0, 1.0, 3.0, 2.0);
        assertEquals(1.3, Percentiles.of(xs, 0.1), 1e-12);
        assertEquals(2.5, Percentiles.of(xs, 0.5), 1e-12);
        assertEquals(3.7, Percentiles.of(xs, 0.9), 1e-12);
        assertEquals(7.0, Percentiles.of(List.of(7.0), 0.9), 0);
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(), 0.5));
    }

    @Test
    void peerDefaultsDependOnTheDevice() {
        BenchConfig cpu = tiny().resolve(false), gpu = tiny().resolve(true);
        assertEquals(List.of(1, 10, 2), List.of(cpu.warmup(), cpu.iters(), cpu.minIters()));
        assertEquals(List.of(10, 50, 3), List.of(gpu.warmup(), gpu.iters(), gpu.minIters()));
    }

    @Test
    void aStepIsNotStartedWhenItWouldEndPastTheBudget() {
        Budget b = new Budget(3600);
        assertTrue(b.allows(0));
        assertTrue(b.allows(3000));
        assertFalse(b.allows(3601));
    }

    /** The mixture training step forms dL/dalpha as the peer's does; single-path steps have no alpha gradient. */
    @Test
    void mixtureStepsFormAnAlphaGradientAndSinglePathStepsDoNot() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            StepWorkload mixture = new StepWorkload(cpu, tiny(), BenchMode.MIXTURE, BenchPhase.TRAIN_STEP);
            mixture.step();
            double[] g = mixture.lastAlphaGradient();
            double norm = 0, rowSum = 0;
            for (double v : g) {
                assertTrue(Double.isFinite(v));
                norm += v * v;
            }
            for (int k = 0; k < 8; k++) rowSum += g[k];
            assertTrue(norm > 0, "a loss that depends on the mixture has a non-zero alpha gradient");
            // softmax's Jacobian rows sum to zero: shifting one edge's alphas changes nothing
            assertEquals(0, rowSum, 1e-9 * Math.sqrt(norm) + 1e-15);

            StepWorkload single = new StepWorkload(cpu, tiny(), BenchMode.SINGLE, BenchPhase.TRAIN_STEP);
            single.step();
            assertNull(single.lastAlphaGradient());
        }
    }

    /**
     * The alpha step (DARTS's) forms the same dL/dalpha as a mixture training step on the same fresh supernet and
     * batch, bit for bit (the architecture-mode backward skips only weight-gradient work), and changes no weight;
     * it has no single-path form, so asking for it with single mode is an error naming the options.
     */
    @Test
    void alphaStepFormsTheTrainingStepsAlphaGradientAndLeavesWeightsAlone() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            StepWorkload train = new StepWorkload(cpu, tiny(), BenchMode.MIXTURE, BenchPhase.TRAIN_STEP);
            StepWorkload alpha = new StepWorkload(cpu, tiny(), BenchMode.MIXTURE, BenchPhase.ALPHA_STEP);
            List<float[]> before = alpha.net().params().stream().map(p -> p.value().toHost()).toList();
            train.step();
            alpha.step();
            assertArrayEquals(train.lastAlphaGradient(), alpha.lastAlphaGradient());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), alpha.net().params().get(i).value().toHost(), alpha.net().params().get(i).name());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BenchConfig(4, 3, 8, 2, 3,
                List.of(BenchMode.SINGLE, BenchMode.MIXTURE), List.of(BenchPhase.ALPHA_STEP), null, null, null, 2, 60, 0));
        assertEquals("--phases alpha_step needs --modes mixture (the alpha step has no single-path form)", e.getMessage());
        assertEquals(2, tiny().batchFor(BenchPhase.ALPHA_STEP));
    }

    /** On the CUDA backend (here its emulation) a measurement reports the device pool's high-water mark. */
    @Test
    void aCudaMeasurementReportsPeakDeviceBytes() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built");
        BenchConfig cfg = new BenchConfig(4, 3, 8, 2, 3, List.of(BenchMode.SINGLE), List.of(BenchPhase.EVAL_FORWARD),
                1, 1, 1, 1, 600, 0);
        RunResult r = new BenchRun(cfg, new Budget(600)).measure(CudaBackend::emulated, BenchMode.SINGLE,
                BenchPhase.EVAL_FORWARD, 1);
        assertEquals("ok", r.status(), r.toString());
        assertTrue(r.peakDeviceBytes() != null && r.peakDeviceBytes() > 0, r.toString());
        assertEquals(r.peakDeviceBytes(), r.toJson().get("peak_device_bytes"));
    }
}
