package org.proxynas.search;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted landscape of {@link PlantedLandscapeTest} at the demo preset's search hyperparameters (temperature
 * 0.1, alpha lr 1e-1, P = 10, E_s = 25, regressor 100 epochs with early stop at tau 0.95), with Gaussian label noise
 * of sd 0.065 added to every measured loss: the label noise measured on the demo budget (see benchmarks/RESULTS.md).
 * A control plants the landscape upside down (the planted op raises the loss): the loop must then not find it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedDefaultsTest {
    private final Backend backend = new CpuBackend(2);

    @AfterAll
    void close() { backend.close(); }

    /** loss = 1.6 -/+ 1.2 * (planted share of the 28 edges) + N(0, noise^2), deterministic per (seed, call). */
    static final class NoisyPlanted implements PathEvaluator {
        private final double noise, sign;
        private final Rng rng;
        int calls;

        NoisyPlanted(double noise, boolean flipped, long seed) {
            this.noise = noise;
            this.sign = flipped ? -1 : 1;
            this.rng = new Rng(seed);
        }

        double score(SampledPath path) {
            int hits = 0;
            for (CellType cell : CellType.values()) for (int e = 0; e < 14; e++) if (path.opIndex(cell, e) == PlantedLandscapeTest.planted(cell, e)) hits++;
            return (sign > 0 ? 1.6 : 0.4) - sign * 1.2 * hits / 28.0 + noise * rng.nextGaussian();
        }

        @Override public SupernetRunner.TrainStats trainPath(SampledPath path, float lr, IntConsumer progress) {
            return new SupernetRunner.TrainStats(1, 0, 0);
        }

        @Override public LossStats validate(SampledPath path) {
            calls++;
            return new LossStats(score(path), 0, 1);
        }

        @Override public int trainImagesPerSample() { return 1; }
        @Override public int steps() { return calls; }
        @Override public void save(Checkpoint c) {}
        @Override public void load(Checkpoint c) {}
    }

    static int plantedArgmaxEdges(ArchParams alpha) {
        int hits = 0;
        for (CellType cell : CellType.values()) {
            for (int e = 0; e < 14; e++) {
                int best = 1;
                for (int k = 2; k < 8; k++) if (alpha.get(cell, e, k) > alpha.get(cell, e, best)) best = k;
                if (best == PlantedLandscapeTest.planted(cell, e)) hits++;
            }
        }
        return hits;
    }

    int run(Path dir, double noise, boolean flipped, long seed) throws Exception {
        SearchConfig cfg = SearchConfig.demo().toBuilder().stepsPerSample(1).dataFraction(1).valFraction(1).valBatchStats(false)
                .heldoutSamples(0).diagnosePaths(0).seed(seed).checkpointEvery(1000).build();
        Path run = Files.createDirectories(dir.resolve("s" + seed + (flipped ? "f" : "") + noise));
        Rng root = new Rng(seed);
        ProxySearch search = new ProxySearch(cfg, new RunContext(run), new NoisyPlanted(noise, flipped, seed * 31 + 7), root,
                new LstmRegressor(backend, root.split()));
        return plantedArgmaxEdges(search.run(false).alpha());
    }

    // Chance: each edge's argmax is the planted op with p = 1/7, so 4 of 28 (sd 1.9). Measured at alpha lr 1e-1
    // (seeds 1-3): noise 0 -> 15 (seed 1); noise 0.065 -> 7, 8, 11; flipped at 0.065 -> 2 (seed 1). At the earlier demo
    // rate 3e-2: 13; 8, 4, 10; 1. The runs are seeded, so these are exact regressions; the bounds sit between the
    // measured values and chance.

    @Test
    void withoutNoiseTheLoopFindsThePlantedOps(@TempDir Path dir) throws Exception {
        int hits = run(dir, 0, false, 1);
        assertTrue(hits >= 10, hits + " of 28 edges prefer the planted op (chance 4, sd 1.9; measured 15)");
    }

    @Test
    void atTheMeasuredLabelNoiseItStillBeatsChanceOverThreeSeeds(@TempDir Path dir) throws Exception {
        int sum = 0;
        for (long seed = 1; seed <= 3; seed++) sum += run(dir, 0.065, false, seed);
        // Chance over three seeds: 12 (sd 3.3); measured 26. 17 is 1.5 sd above chance: at this noise the defaults
        // find the planted ops only weakly, which is the point RESULTS.md makes.
        assertTrue(sum >= 17, sum + " planted edges over three seeds (chance 12, measured 26)");
    }

    @Test
    void theFlippedLandscapeDrivesAlphaAwayFromThePlantedOps(@TempDir Path dir) throws Exception {
        // Sign-flip control: the same loop on a landscape where the planted op raises the loss must end below chance.
        int hits = run(dir, 0.065, true, 1);
        assertTrue(hits <= 3, hits + " of 28 edges prefer the planted op on the flipped landscape (chance 4; measured 2)");
    }
}
