package org.proxynas.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.search.SearchRunFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The resume contract of {@code proxynas experiment --engine local} under a crash: the experiment and every task it
 * runs are killed with SIGKILL while a search task is between checkpoints (as when the machine dies); {@code experiment
 * resume} then runs only what has no result, the search continuing from its checkpoint, and the collected summary
 * equals that of the uninterrupted toy experiment (CPU backend, one thread per task: bit-reproducible).
 */
class ExperimentCrashSafetyTest {
    @Test
    void killedWithItsTasksMidSearchThenResumedEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        String expected = ToyExperiment.localSummary();
        Path exp = dir.resolve("killed"), log = dir.resolve("experiment.log");
        Process p = Cli.start(List.of("experiment", ToyExperiment.writePlan(dir).toString(), "--dir", exp.toString(), "--parallel", "2",
                "--launcher", ToyExperiment.launcher()), log);
        Path search0 = exp.resolve("search/0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (p.isAlive() && SearchRunFiles.searchIndex(search0.resolve("checkpoint.bin")) < 1 && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(p.isAlive() && !Files.exists(search0.resolve("genotype.json")),
                "the experiment should be in its first search when killed: " + Files.readString(log));
        Cli.kill(p);
        assertFalse(Files.exists(exp.resolve(Collector.SUMMARY)), "the killed experiment must not have collected");

        ToyExperiment.Cli st = ToyExperiment.cli("experiment", "status", exp.toString());
        assertTrue(st.out().lines().anyMatch(l -> l.startsWith("search/0 ") && l.contains("INCOMPLETE")), st.out());

        ToyExperiment.Cli r = ToyExperiment.cli("experiment", "resume", exp.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(ToyExperiment.resumed(r.out()).contains("search/0"), r.out());
        assertTrue(Files.readString(exp.resolve("logs/search-0.log")).contains("resumed from " + search0.resolve("checkpoint.bin")),
                "the search continued from its checkpoint");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(expected), json.readTree(exp.resolve(Collector.SUMMARY).toFile()),
                "the resumed experiment's summary equals the uninterrupted one");
    }

}
