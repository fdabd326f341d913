package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxynas.proxy.ProxyTestSupport.CPU;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.rng.Rng;

class GaePretrainerTest {
    @Test
    void pretrainingLowersTheReconstructionLossAndWritesTheBestEpoch(@TempDir Path dir) throws IOException {
        GaeConfig cfg = GaeConfig.small(16, 16);
        GaePretrainer.Config pc = new GaePretrainer.Config(96, 48, 6, 32, 0.1, AdamConfig.regressorDefault().withLr(5e-3));
        Path file = dir.resolve("gae-pretrained.bin");
        List<String> log = new ArrayList<>();
        GaePretrainer.Result res = new GaePretrainer(CPU, cfg, pc, new Rng(1)).run(file,
                (epoch, epochs, train, val, best) -> log.add(epoch + "/" + epochs + " " + train + " " + val + " " + best));
        assertEquals(6, log.size());
        assertTrue(log.get(0).startsWith("1/6 ") && log.get(0).endsWith(" true"), log.get(0));
        assertTrue(res.trainLoss()[5] < 0.85 * res.trainLoss()[0], "train loss " + res.trainLoss()[0] + " -> " + res.trainLoss()[5]);
        double minVal = Double.POSITIVE_INFINITY;
        int argMin = 0;
        for (int e = 0; e < 6; e++) if (res.validationLoss()[e] < minVal) { minVal = res.validationLoss()[e]; argMin = e + 1; }
        assertEquals(argMin, res.bestEpoch());
        assertEquals(minVal, res.bestValidationLoss(), 0.0);
        assertTrue(minVal < res.validationLoss()[0], "validation improved: " + java.util.Arrays.toString(res.validationLoss()));

        // the file holds the best epoch: loaded into a regressor, it reproduces the best validation loss exactly
        GaeRegressor r = new GaeRegressor(CPU, new Rng(5), cfg);
        r.loadPretrained(file);
        List<ArchGraph> val = valGraphs(pc);
        assertEquals(res.bestValidationLoss(), GaePretrainer.validationLoss(r.model(), val, pc.batchSize()), 1e-9);
        assertEquals(0, r.optimizerSteps());

        // a pretrained file of other widths is refused with the file and field named
        GaeRegressor wide = new GaeRegressor(CPU, new Rng(5), GaeConfig.small(32, 16));
        ProxyFileException e = assertThrows(ProxyFileException.class, () -> wide.loadPretrained(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("gae.hidden"), e.getMessage());
    }

    /** The validation set the pretrainer drew: same stream order as GaePretrainer.run (init split, then data split). */
    private static List<ArchGraph> valGraphs(GaePretrainer.Config pc) {
        Rng rng = new Rng(1);
        rng.split();
        Rng data = rng.split();
        GaePretrainer.randomGraphs(data, pc.trainSize(), pc.tau());
        return GaePretrainer.randomGraphs(data, pc.validationSize(), pc.tau());
    }

    @Test
    void sameSeedGivesTheSameFile(@TempDir Path dir) throws IOException {
        GaeConfig cfg = GaeConfig.small(8, 8);
        GaePretrainer.Config pc = new GaePretrainer.Config(40, 20, 2, 16, 0.1, AdamConfig.regressorDefault());
        Path a = dir.resolve("a.bin"), b = dir.resolve("b.bin");
        new GaePretrainer(CPU, cfg, pc, new Rng(3)).run(a, null);
        new GaePretrainer(CPU, cfg, pc, new Rng(3)).run(b, null);
        assertArrayEquals(java.nio.file.Files.readAllBytes(a), java.nio.file.Files.readAllBytes(b));
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new GaePretrainer.Config(0, 10, 1, 8, 0.1, AdamConfig.regressorDefault()));
        assertThrows(IllegalArgumentException.class, () -> new GaePretrainer.Config(10, 10, 1, 8, 0, AdamConfig.regressorDefault()));
        assertEquals(4000, GaePretrainer.Config.defaults().trainSize());
        assertEquals(1000, GaePretrainer.Config.defaults().validationSize());
        assertEquals(100, GaePretrainer.Config.defaults().epochs());
        assertEquals(64, GaePretrainer.Config.defaults().batchSize());
    }
}
