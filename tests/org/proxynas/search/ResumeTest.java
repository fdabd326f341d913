package org.proxynas.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.fuzz.Cli;
import org.proxynas.run.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resume is exact on CPU: a search killed with SIGKILL in the middle of its search phase and resumed from its
 * last checkpoint ends with bit-identical weights, alpha, memory and genotype, and the same metrics, as the same
 * search run without interruption; with the LSTM proxy (optimiser state in the checkpoint) and the ridge proxy
 * (no optimiser state: the reloaded fit must predict exactly what the saved one did).
 */
class ResumeTest {
    private static List<String> args(Path out, String regressor) {
        List<String> a = regressor.equals("ridge") ? SearchEndToEndTest.tinyRidge("pvll", out) : SearchEndToEndTest.tiny("pvll", out);
        a.set(a.indexOf("--iterations") + 1, "12");
        a.add("--oiw");
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "ridge"})
    void killedRunResumesBitIdentically(String regressor, @TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        assertEquals(0, SearchEndToEndTest.run(args(reference, regressor)));

        Process p = Cli.start(args(killed, regressor), dir.resolve("child.log"));
        int index = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline) {
            index = SearchRunFiles.searchIndex(killed.resolve(RunContext.CHECKPOINT));
            if (index >= 2) break;
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed (index " + index + "): " + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(killed.resolve("genotype.json")), "the killed run must not have finished");

        assertEquals(0, SearchEndToEndTest.run(List.of("search", "--resume", killed.toString())));

        assertEquals(Files.readString(reference.resolve("genotype.txt")), Files.readString(killed.resolve("genotype.txt")));
        assertEquals(Files.readString(reference.resolve("alpha.json")), Files.readString(killed.resolve("alpha.json")));
        assertEquals(SearchRunFiles.metricsWithoutTimes(reference), SearchRunFiles.metricsWithoutTimes(killed), "metrics.jsonl apart from elapsed times");
        Checkpoint a = Checkpoint.read(reference.resolve(RunContext.CHECKPOINT)), b = Checkpoint.read(killed.resolve(RunContext.CHECKPOINT));
        for (String name : List.of("alpha", "alpha_adam_m", "alpha_adam_v", "memory_encodings", "w.stem.conv.weight", "w.classifier.weight",
                "bn.cells.2.pre1.bn.running_var", "sgd.cells.1.edge3.op4.dw1.weight.momentum")) {
            assertArrayEquals(a.get(name, -1), b.get(name, -1), name);
        }
        assertEquals(a.field("memory_labels"), b.field("memory_labels"));
        assertEquals(a.field("oiw"), b.field("oiw"));
        assertEquals(a.field("regressor"), b.field("regressor"));
    }

    /**
     * A run killed in the held-out check (after the label diagnostic, between held-out paths) resumes with the next
     * path: the same held-out labels, predictions, tau and metrics as an uninterrupted run. 60 held-out paths of one
     * step each give the kill a window of seconds at this size.
     */
    @Test
    void killedInTheHeldOutCheckResumesWithTheNextPath(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        java.util.function.Function<Path, List<String>> args = out -> {
            List<String> a = SearchEndToEndTest.tiny("pvll", out);
            a.addAll(List.of("--heldout", "60", "--diagnose-paths", "2", "--diagnose-repeats", "2"));
            return a;
        };
        assertEquals(0, SearchEndToEndTest.run(args.apply(reference)));

        Process p = Cli.start(args.apply(killed), dir.resolve("child.log"));
        int index = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline) {
            index = SearchRunFiles.phaseIndex(killed.resolve(RunContext.CHECKPOINT), "HELDOUT");
            if (index >= 5) break;
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed (held-out index " + index + "): " + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(killed.resolve("genotype.json")), "the killed run must not have finished");
        assertTrue(index < 60, "killed inside the held-out check, at path " + index);

        assertEquals(0, SearchEndToEndTest.run(List.of("search", "--resume", killed.toString())));
        assertEquals(Files.readString(reference.resolve("proxy.json")), Files.readString(killed.resolve("proxy.json")));
        assertEquals(SearchRunFiles.metricsWithoutTimes(reference), SearchRunFiles.metricsWithoutTimes(killed), "metrics.jsonl apart from elapsed times");
        assertEquals(Files.readString(reference.resolve("genotype.txt")), Files.readString(killed.resolve("genotype.txt")));
    }
}
