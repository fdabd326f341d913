package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.GradClip;
import org.proxynas.train.Sgd;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The captured step's kernels (cuda/step.cu) against the eager step they replace, under the emulation, bit for
 * bit: zeroing, the global-norm clip and clipped SGD over a parameter table equal GradClip.clip then Sgd.step
 * (the same two-pass norm, then sgd_step_f32), clipped and unclipped; the device loss totals equal the sum of
 * softmaxCrossEntropy's LossStats as SupernetRunner adds them. Tensor sizes include one spanning more blocks than
 * the emulation's grid (so the per-tensor reduction wraps) and one of a single element.
 */
class EmulatedGraphStepKernelsTest {
    private static final int[] SIZES = {1, 37, 256, 1500, 300};
    private CudaBackend cuda;
    private GraphStepKernels k;

    @BeforeEach
    void setUp() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
        k = new GraphStepKernels(cuda);
    }

    @AfterEach
    void tearDown() { if (cuda != null) cuda.close(); }

    private static float[] random(Rng rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * scale);
        return a;
    }

    /** Two identical parameter sets with gradients and momentum; the second is copied from the first. */
    private List<Param> params(Rng rng, double gradScale) {
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            out.add(new Param("p" + i, cuda.fromHost(random(rng, SIZES[i], 1), SIZES[i]), cuda.fromHost(random(rng, SIZES[i], gradScale), SIZES[i])));
        }
        return out;
    }

    private List<Param> copy(List<Param> ps) {
        List<Param> out = new ArrayList<>();
        for (Param p : ps) out.add(new Param(p.name(), cuda.fromHost(p.value().toHost(), p.value().shape()), cuda.fromHost(p.grad().toHost(), p.grad().shape())));
        return out;
    }

    private void clippedSgdMatchesGradClipThenSgd(double gradScale, double maxNorm, boolean expectClipped) {
        Rng rng = new Rng(11);
        List<Param> eager = params(rng, gradScale), graphed = copy(eager);
        Sgd eagerSgd = new Sgd(eager, 0.9f, 3e-4f), graphedSgd = new Sgd(graphed, 0.9f, 3e-4f);
        // momentum buffers start non-zero, as after earlier steps
        for (int i = 0; i < SIZES.length; i++) {
            float[] m = random(rng, SIZES[i], 0.1);
            eagerSgd.state().get(i).tensor().fromHost(m);
            graphedSgd.state().get(i).tensor().fromHost(m);
        }
        double norm = Math.sqrt(new GradNormClip(new Launches(cuda)).sumSquares(eager.stream().map(Param::grad).toList()));
        GradClip.clip(eager, maxNorm);
        assertEquals(expectClipped, norm > maxNorm, "test set-up: norm " + norm);
        eagerSgd.step(0.025f);

        GraphStepKernels.ParamTable table = k.table(graphed.stream().map(Param::value).toList(), graphed.stream().map(Param::grad).toList(),
                graphedSgd.state().stream().map(NamedTensor::tensor).toList());
        Tensor lr = k.scalar(0.025f), coef = k.scalar(-1f);
        k.clipCoefficient(table, maxNorm, coef);
        float expectedCoef = expectClipped ? (float) (maxNorm / (norm + 1e-6)) : 1f;
        assertEquals(expectedCoef, coef.toHost()[0]);
        k.sgdStep(table, lr, coef, 0.9f, 3e-4f);
        for (int i = 0; i < SIZES.length; i++) {
            assertArrayEquals(eager.get(i).grad().toHost(), graphed.get(i).grad().toHost(), "clipped gradient " + i);
            assertArrayEquals(eager.get(i).value().toHost(), graphed.get(i).value().toHost(), "parameter " + i);
            assertArrayEquals(eagerSgd.state().get(i).tensor().toHost(), graphedSgd.state().get(i).tensor().toHost(), "momentum " + i);
        }
        k.zeroGrads(table);
        for (Param p : graphed) assertArrayEquals(new float[(int) p.grad().size()], p.grad().toHost(), p.name());
    }

    @Test
    void clippedStepEqualsGradClipThenSgdBitForBit() { clippedSgdMatchesGradClipThenSgd(1.0, 5.0, true); }

    @Test
    void unclippedStepEqualsSgdBitForBit() { clippedSgdMatchesGradClipThenSgd(0.01, 5.0, false); }

    @Test
    void lossTotalsEqualTheSumOfLossStatsAndFlagTheFirstNonFiniteBatch() {
        Rng rng = new Rng(3);
        int n = 6, classes = 5;
        GraphStepKernels.LossTotals totals = k.lossTotals(n);
        double lossSum = 0;
        long correct = 0;
        Tensor labels = cuda.fromHost(new float[] {0, 4, 2, 2, 1, 3}, n);
        Tensor d1 = cuda.allocate(n, classes), d2 = cuda.allocate(n, classes);
        for (int batch = 0; batch < 3; batch++) {
            Tensor logits = cuda.fromHost(random(rng, n * classes, 2), n, classes);
            LossStats s = cuda.kernels().softmaxCrossEntropy(logits, labels, d1, 1f);
            lossSum += s.loss() * s.count();
            correct += s.correct();
            k.softmaxCrossEntropy(logits, labels, d2, totals);
            assertArrayEquals(d1.toHost(), d2.toHost(), "gradient of batch " + batch);
        }
        GraphStepKernels.Read r = totals.read();
        assertEquals(lossSum, r.lossSum());
        assertEquals(correct, r.correct());
        assertEquals(3L * n, r.count());
        assertEquals(3, r.steps());
        assertEquals(0, r.firstNonFinite());

        float[] bad = random(rng, n * classes, 1);
        bad[7] = Float.NaN;
        k.softmaxCrossEntropy(cuda.fromHost(bad, n, classes), labels, d2, totals);
        k.softmaxCrossEntropy(cuda.fromHost(random(rng, n * classes, 1), n, classes), labels, d2, totals);
        assertEquals(4, totals.read().firstNonFinite(), "the fourth batch since the reset was the first non-finite one");
        totals.reset();
        assertEquals(new GraphStepKernels.Read(0, 0, 0, 0, 0), totals.read());
        assertThrows(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(cuda.allocate(2, classes), cuda.allocate(2), cuda.allocate(2, classes),
                k.lossTotals(1000)), "totals sized for another batch");
    }
}
