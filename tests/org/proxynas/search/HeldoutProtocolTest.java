package org.proxynas.search;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.space.CellType;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Item 1 of the audit: a held-out path must be measured as a memory label is (trained for one sample, then
 * validated), from a snapshot of the supernet that is restored after each, so the held-out tau compares like with
 * like and the check leaves the supernet as the search left it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeldoutProtocolTest {
    private final Backend backend = new CpuBackend(1);

    @AfterAll
    void close() { backend.close(); }

    /** Validation loss is the planted score when the path was the last one trained, else 5 higher; state = steps + last path. */
    static final class Stateful implements PathEvaluator {
        int steps;
        SampledPath last;

        @Override public SupernetRunner.TrainStats trainPath(SampledPath path, float lr, IntConsumer progress) {
            steps++;
            last = path;
            return new SupernetRunner.TrainStats(1, 0, 0);
        }

        @Override public LossStats validate(SampledPath path) {
            return new LossStats(PlantedLandscapeTest.PlantedEvaluator.score(path) + (same(path, last) ? 0 : 5), 0, 1);
        }

        private static boolean same(SampledPath a, SampledPath b) {
            if (b == null) return false;
            for (CellType c : CellType.values()) if (!Arrays.equals(a.opIndices(c), b.opIndices(c))) return false;
            return true;
        }

        @Override public int trainImagesPerSample() { return 1; }
        @Override public int steps() { return steps; }

        private SampledPath saved;

        @Override public void save(Checkpoint c) {
            c.header().put("steps", steps);
            saved = last;
        }

        @Override public void load(Checkpoint c) {
            steps = c.field("steps").asInt();
            last = saved;
        }
    }

    @Test
    void heldoutPathsAreTrainedLikeMemorySamplesAndTheSupernetIsRestored(@TempDir Path dir) throws Exception {
        int p = 4, iterations = 3, heldout = SearchConfig.HELDOUT_DEFAULT;
        SearchConfig cfg = SearchConfig.demo().toBuilder().warmupSamples(p).iterations(iterations).stepsPerSample(1).dataFraction(1)
                .valFraction(1).valBatchStats(false).regressorWarmupEpochs(5).regressorMaxEpochs(5).heldoutSamples(heldout).diagnosePaths(3)
                .diagnoseRepeats(2).checkpointEvery(100).build();
        Stateful weights = new Stateful();
        Rng root = new Rng(1);
        new ProxySearch(cfg, new RunContext(dir), weights, root, new LstmRegressor(backend, root.split())).run(false);
        // Warm-up, memory build and search each train once per sample; the diagnostic and held-out training is undone.
        assertEquals(2 * p + iterations, weights.steps);
        JsonNode proxy = JsonFiles.mapper().readTree(dir.resolve("proxy.json").toFile());
        double[] measured = JsonFiles.mapper().treeToValue(proxy.get("heldout_measured"), double[].class);
        assertEquals(heldout, measured.length);
        // Planted scores lie in [0.4, 1.6]; an untrained validation would be 5 higher.
        for (double m : measured) assertTrue(m <= 1.6 + 1e-9, "held-out path validated without training: " + Arrays.toString(measured));
        List<String> lines = Files.readAllLines(dir.resolve(RunContext.METRICS));
        String held = lines.stream().filter(l -> l.contains("\"phase\":\"heldout\"")).findFirst().orElseThrow();
        JsonNode rec = JsonFiles.mapper().readTree(held);
        assertEquals("trained", rec.get("protocol").asText());
        assertTrue(rec.get("tau_low").asDouble() <= rec.get("tau").asDouble() && rec.get("tau").asDouble() <= rec.get("tau_high").asDouble(), held);
        String diag = lines.stream().filter(l -> l.contains("\"phase\":\"label_diagnostic\"")).findFirst().orElseThrow();
        JsonNode drec = JsonFiles.mapper().readTree(diag);
        assertEquals(3, drec.get("labels").size());
        // Every diagnostic label is a trained measurement (planted range), never the untrained +5.
        for (JsonNode row : drec.get("labels")) for (JsonNode v : row) assertTrue(v.asDouble() <= 1.6 + 1e-9, diag);
    }
}
