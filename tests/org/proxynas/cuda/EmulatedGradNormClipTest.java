package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two-pass device gradient-norm clip (cuda/step.cu, {@link GradNormClip}) under the emulation, on about a million
 * gradients in tensors from one element to several grids' worth (the size of a small supernet's parameters):
 *
 * <ul>
 *   <li>against the CPU reference ({@code CpuOptim.clipGradNorm}: per-tensor sums added in list order).
 *       Both sum the fp32 squares in double, in different orders; for non-negative terms each order's relative
 *       error is below (n - 1) 2^-53, 1.2e-10 for n = 1.05e6, so the sums agree to 1e-9 relative (far tighter than
 *       the 1e-5 an fp32 sum of that many terms would need). The coefficient, that double rounded to float, is then
 *       the same float or the next one (one ulp), and every clipped value (one fp32 product) is within 2^-22
 *       relative of the CPU's.</li>
 *   <li>deterministic: the sum and the clipped gradients are the same bits under two emulation schedule seeds (the
 *       blocks of a grid run in another order), and on a second run.</li>
 *   <li>no read back: the clip adds no host synchronisation once its table is on the device.</li>
 * </ul>
 */
class EmulatedGradNormClipTest {
    private static final int[] SIZES = {1, 3, 37, 256, 1500, 9, 300_000, 17, 750_003, 64};
    private CudaBackend cuda;
    private CpuBackend cpu;

    @BeforeEach
    void open() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
        cpu = new CpuBackend(1);
    }

    @AfterEach
    void close() {
        if (cuda != null) {
            ((EmulatedLauncher) cuda.launcher()).setScheduleSeed(Long.getLong(EmulatedLauncher.SEED_PROPERTY, 1L));
            cuda.close();
        }
        if (cpu != null) cpu.close();
    }

    private static float[][] gradients(long seed) {
        Rng rng = new Rng(seed);
        float[][] g = new float[SIZES.length][];
        for (int t = 0; t < SIZES.length; t++) {
            g[t] = new float[SIZES[t]];
            double scale = 1e-3 * (1 + t);  // magnitudes differ between tensors, as between layers
            for (int i = 0; i < SIZES[t]; i++) g[t][i] = (float) (rng.nextGaussian() * scale);
        }
        return g;
    }

    private static List<Tensor> on(org.proxynas.tensor.Backend b, float[][] host) {
        List<Tensor> out = new ArrayList<>();
        for (float[] h : host) out.add(b.fromHost(h, h.length));
        return out;
    }

    private GradNormClip clip() { return new GradNormClip(new Launches(cuda)); }

    @Test
    void matchesTheCpuReferenceAtTheDoubleSummationBound() {
        float[][] host = gradients(3);
        double cpuSq = 0;
        for (Tensor g : on(cpu, host)) cpuSq += cpu.kernels().sumSquares(g);
        double cudaSq = clip().sumSquares(on(cuda, host));
        assertEquals(cpuSq, cudaSq, 1e-9 * cpuSq, "sum of squares of " + java.util.Arrays.stream(SIZES).sum() + " gradients");

        double maxNorm = 0.3 * Math.sqrt(cpuSq);  // clipped
        List<Tensor> cpuGrads = on(cpu, host), cudaGrads = on(cuda, host);
        cpu.kernels().clipGradNorm(cpuGrads, maxNorm);
        cuda.kernels().clipGradNorm(cudaGrads, maxNorm);
        float coef = (float) (maxNorm / (Math.sqrt(cpuSq) + 1e-6));
        for (int t = 0; t < SIZES.length; t++) {
            float[] a = cpuGrads.get(t).toHost(), b = cudaGrads.get(t).toHost();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 0x1p-22 * Math.abs(a[i]), "grads[" + t + "][" + i + "]: cpu " + a[i]
                        + ", cuda " + b[i] + " (coefficient " + coef + ")");
            }
        }

        List<Tensor> unclipped = on(cuda, host);
        cuda.kernels().clipGradNorm(unclipped, 1.5 * Math.sqrt(cpuSq));
        for (int t = 0; t < SIZES.length; t++) assertArrayEquals(host[t], unclipped.get(t).toHost(), "unclipped grads[" + t + "]");
    }

    @Test
    void bitIdenticalUnderAnotherBlockOrderAndOnARerun() {
        float[][] host = gradients(4);
        EmulatedLauncher launcher = (EmulatedLauncher) cuda.launcher();
        long[] sums = new long[3];
        float[][][] clipped = new float[3][][];
        long[] seeds = {1, 2, 1};
        for (int run = 0; run < 3; run++) {
            launcher.setScheduleSeed(seeds[run]);
            sums[run] = Double.doubleToRawLongBits(clip().sumSquares(on(cuda, host)));
            List<Tensor> g = on(cuda, host);
            cuda.kernels().clipGradNorm(g, 0.1);
            clipped[run] = g.stream().map(Tensor::toHost).toArray(float[][]::new);
        }
        for (int run = 1; run < 3; run++) {
            assertEquals(sums[0], sums[run], "sum of squares bits, run " + run + " (seed " + seeds[run] + ")");
            for (int t = 0; t < SIZES.length; t++) assertArrayEquals(clipped[0][t], clipped[run][t], "run " + run + ", grads[" + t + "]");
        }
    }

    @Test
    void clipsWithoutAHostSynchronisation() {
        List<Tensor> grads = on(cuda, gradients(5));
        long before = cuda.hostSyncs();
        cuda.kernels().clipGradNorm(grads, 0.1);
        assertEquals(1, cuda.hostSyncs() - before, "the first clip uploads its table of gradients, once");
        before = cuda.hostSyncs();
        for (int i = 0; i < 3; i++) cuda.kernels().clipGradNorm(grads, 0.1);
        assertEquals(0, cuda.hostSyncs() - before, "later clips of the same gradients read nothing back");
    }
}
