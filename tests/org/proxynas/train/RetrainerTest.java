package org.proxynas.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.data.Dataset;
import org.proxynas.data.SyntheticData;
import org.proxynas.data.SyntheticSpec;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.Genotypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Training a derived architecture on the synthetic set learns: the loss falls and test accuracy beats chance. */
class RetrainerTest {
    @Test
    void trainingOnTheSyntheticSetLowersTheLossAndBeatsChance(@TempDir Path dir) throws Exception {
        Dataset d = SyntheticData.generate(new SyntheticSpec(512, 256, 3, 16, 16, 4, 7));
        try (CpuBackend b = new CpuBackend(2)) {
            RetrainConfig cfg = new RetrainConfig(3, 32, 0.05, 0.9, 3e-4, 5, 0.4, 0.1, 0, 1, 3);
            Retrainer.Result r = new Retrainer(b, new MetricsLog(dir.resolve("metrics.jsonl")))
                    .train(Genotypes.DARTS_V2, d, new EvalNetConfig(4, 3, d.classes(), d.channels(), false), cfg);
            List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
            assertEquals(3, lines.size());
            double first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0)).get("train_loss").asDouble();
            double last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(2)).get("train_loss").asDouble();
            assertTrue(last < first * 0.9, "training loss must fall: " + first + " -> " + last);
            assertTrue(r.testAccuracy() > 0.4, "4 classes: chance is 0.25, got " + r.testAccuracy());
        }
    }
}
