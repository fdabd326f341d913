package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchRunFiles;
import org.proxynas.search.SupernetWeights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `diagnose` is long (the experiment's takes an hour), so it resumes: killed with SIGKILL during its warm-up or its
 * label rounds and continued with `diagnose --resume DIR`, it ends with the same labels, supernet.bin and metrics (apart
 * from times) as the same diagnostic run without interruption; a search and a diagnostic each refuse to resume the other's run.
 */
class DiagnoseResumeTest {
    private static List<String> args(Path out) {
        return InitSupernetTest.tiny("diagnose", out, "--warmup-samples", "40", "--checkpoint-every", "2");
    }

    @Test
    void killedDiagnosticResumesBitIdentically(@TempDir Path dir) throws Exception {
        assertResumesBitIdentically(dir, args(dir.resolve("reference")), args(dir.resolve("killed")), "warmup_done", 4, 40);
    }

    /** Killed after some rounds of labels (the warm-up long done), it measures only the rounds still missing. */
    @Test
    void killedInTheLabelPhaseResumesBitIdentically(@TempDir Path dir) throws Exception {
        String[] labels = {"--warmup-samples", "2", "--diagnose-paths", "2", "--diagnose-repeats", "24"};
        assertResumesBitIdentically(dir, InitSupernetTest.tiny("diagnose", dir.resolve("reference"), labels),
                InitSupernetTest.tiny("diagnose", dir.resolve("killed"), labels), "label_rounds", 2, 24);
        String log = Files.readString(dir.resolve("killed").resolve("log.txt"));
        assertTrue(log.contains("label rounds"), log);
    }

    /**
     * Runs the reference to its end, the other until its checkpoint's header field reaches kill (and is below end),
     * kills it with SIGKILL, resumes it, and compares labels, metrics apart from times and the warmed supernet.
     */
    private static void assertResumesBitIdentically(Path dir, List<String> referenceArgs, List<String> killedArgs, String field,
                                                    int kill, int end) throws Exception {
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        Cli.Outcome ref = Cli.run(referenceArgs);
        assertEquals(0, ref.code(), ref.all());

        Process p = Cli.start(killedArgs, dir.resolve("child.log"));
        int done = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline) {
            done = headerInt(killed.resolve(RunContext.CHECKPOINT), field);
            if (done >= kill) break;
            Thread.sleep(20);
        }
        assertTrue(p.isAlive() && done >= kill && done < end, "the child got too far before it could be killed (" + field + " " + done
                + "): " + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(killed.resolve("diagnostic.json")), "the killed diagnostic must not have finished");

        Cli.Outcome resumed = Cli.run(List.of("diagnose", "--resume", killed.toString()));
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(Files.readString(killed.resolve("log.txt")).contains("resumed from"), Files.readString(killed.resolve("log.txt")));

        JsonNode a = JsonFiles.mapper().readTree(reference.resolve("diagnostic.json").toFile());
        JsonNode b = JsonFiles.mapper().readTree(killed.resolve("diagnostic.json").toFile());
        assertEquals(a.get("labels"), b.get("labels"));
        assertEquals(a.get("order"), b.get("order"));
        assertEquals(a.get("path_share"), b.get("path_share"));
        assertEquals(SearchRunFiles.metricsWithoutTimes(reference), SearchRunFiles.metricsWithoutTimes(killed), "metrics.jsonl apart from times");
        Checkpoint wa = Checkpoint.read(reference.resolve(SupernetWeights.FILE)), wb = Checkpoint.read(killed.resolve(SupernetWeights.FILE));
        for (String name : List.of("w.stem.conv.weight", "w.classifier.weight", "bn.cells.2.pre1.bn.running_var")) {
            assertArrayEquals(wa.get(name, -1), wb.get(name, -1), name);
        }
    }

    @Test
    void aSearchAndADiagnosticDoNotResumeEachOther(@TempDir Path dir) throws Exception {
        Path diag = dir.resolve("diag");
        assertEquals(0, Cli.run(InitSupernetTest.tiny("diagnose", diag)).code());
        Cli.Outcome asSearch = Cli.run(List.of("search", "--resume", diag.toString()));
        assertTrue(asSearch.cleanError() && asSearch.err().contains("is a diagnose run") && asSearch.err().contains("'diagnose --resume"),
                asSearch.all());

        Path search = dir.resolve("search");
        assertEquals(0, Cli.run(InitSupernetTest.tiny("search", search, "--method", "random")).code());
        Cli.Outcome asDiagnose = Cli.run(List.of("diagnose", "--resume", search.toString()));
        assertTrue(asDiagnose.cleanError() && asDiagnose.err().contains("is a search run"), asDiagnose.all());
    }

    /** An int field of a checkpoint's header, or -1 while there is none (or it is being replaced). */
    private static int headerInt(Path checkpoint, String field) {
        if (!Files.exists(checkpoint)) return -1;
        try {
            return Checkpoint.read(checkpoint).header().path(field).asInt(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
