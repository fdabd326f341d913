package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.space.RelaxedArch;

class RegressorTrainerTest {
    /**
     * Records the batches it is trained on. Its loss is a scripted sequence; its predictions are the labels plus a
     * scripted amount of rank noise that shrinks every epoch (so Kendall τ rises).
     */
    private static final class Recorder implements Regressor {
        final List<double[]> batches = new ArrayList<>();
        double loss = 1.0;
        int predictCalls;
        ArchMemory memory;
        double noise = 200.0;
        final Rng rng = new Rng(42);

        @Override public String kind() { return "recorder"; }

        @Override public double[] predict(float[][] encodings) {
            predictCalls++;
            double[] lab = memory.labels();
            double[] out = new double[lab.length];
            for (int i = 0; i < lab.length; i++) out[i] = lab[i] + noise * rng.nextGaussian();
            return out;
        }

        @Override public double trainStep(float[][] encodings, double[] labels) {
            for (int i = 0; i < encodings.length; i++) assertEquals(labels[i], encodings[i][0], 0.0, "pairs stay together");
            batches.add(labels.clone());
            noise *= 0.7;
            loss *= 0.8;
            return loss;
        }

        @Override public AlphaGradient alphaGradient(RelaxedArch arch) { throw new UnsupportedOperationException(); }
        @Override public void save(Path file) {}
        @Override public void load(Path file) {}
    }

    private static ArchMemory memory(int n) {
        ArchMemory m = new ArchMemory(100);
        for (int i = 0; i < n; i++) {
            float[] e = new float[224];
            e[0] = i; // the encoding carries its label, so the test can check pairing
            m.add(e, i);
        }
        return m;
    }

    @Test
    void anEpochIsOneShuffledPassInBatchesOf64() {
        Recorder r = new Recorder();
        ArchMemory m = memory(100);
        r.memory = m;
        RegressorTrainer t = new RegressorTrainer(r, new Rng(1));
        RegressorTrainer.EpochResult res = t.epoch(m);
        assertEquals(2, res.steps());
        assertEquals(64, r.batches.get(0).length);
        assertEquals(36, r.batches.get(1).length);
        assertEquals((0.8 + 0.64) / 2, res.meanLoss(), 1e-12);
        Set<Double> seen = new HashSet<>();
        for (double[] b : r.batches) for (double l : b) assertTrue(seen.add(l), "label " + l + " twice in one epoch");
        assertEquals(100, seen.size());
        double[] first = r.batches.get(0).clone();
        boolean sorted = true;
        for (int i = 1; i < first.length; i++) sorted &= first[i] > first[i - 1];
        assertFalse(sorted, "the memory is shuffled");
        // the shuffle comes from the given Rng: same seed, same batches
        Recorder r2 = new Recorder();
        r2.memory = m;
        new RegressorTrainer(r2, new Rng(1)).epoch(m);
        assertArrayEquals(first, r2.batches.get(0));
    }

    @Test
    void kendallRuleStopsEarlyAndLossRuleToo() {
        Recorder r = new Recorder();
        ArchMemory m = memory(100);
        r.memory = m;
        RegressorTrainer.FitResult fit = new RegressorTrainer(r, new Rng(2),
                new RegressorTrainer.Config(64, 500, RegressorTrainer.StopRule.KENDALL, 0.95)).fit(m);
        assertTrue(fit.converged());
        assertTrue(fit.kendall() > 0.95, "tau " + fit.kendall());
        assertTrue(fit.epochs() < 500 && fit.epochs() > 1, "epochs " + fit.epochs());
        assertEquals(fit.epochs(), r.predictCalls, "Kendall is evaluated after every epoch");

        Recorder r2 = new Recorder();
        r2.memory = m;
        RegressorTrainer.FitResult fit2 = new RegressorTrainer(r2, new Rng(2), RegressorTrainer.Config.lossRule()).fit(m);
        assertTrue(fit2.converged() && fit2.lastLoss() < 1e-3, "loss " + fit2.lastLoss());
        // loss after epoch e is the mean of 0.8^(2e-1) and 0.8^(2e): first below 1e-3 at e = 16
        assertEquals(16, fit2.epochs());

        Recorder r3 = new Recorder();
        r3.memory = m;
        RegressorTrainer.FitResult fit3 = new RegressorTrainer(r3, new Rng(2),
                new RegressorTrainer.Config(64, 7, RegressorTrainer.StopRule.NONE, 0)).fit(m);
        assertFalse(fit3.converged());
        assertEquals(7, fit3.epochs());
        assertEquals(14, r3.batches.size());
    }

    @Test
    void rejectsAnEmptyMemoryAndBadConfig() {
        Recorder r = new Recorder();
        assertThrows(IllegalStateException.class, () -> new RegressorTrainer(r, new Rng(1)).epoch(new ArchMemory(4)));
        assertThrows(IllegalArgumentException.class, () -> new RegressorTrainer.Config(0, 5, RegressorTrainer.StopRule.NONE, 0));
        assertEquals(0.95, RegressorTrainer.Config.defaults().threshold());
        assertEquals(64, RegressorTrainer.Config.defaults().batchSize());
    }
}
