package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.nasbench.Method;
import org.proxynas.nasbench.UnitFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash safety of {@code proxynas benchmark} through the command line: a run killed with SIGKILL between units, then
 * its rerun with the same --out killed again, then rerun to the end, keeps every finished unit whole and ends with
 * the results.jsonl and summary.json of an uninterrupted run with the same seeds (synthetic oracle, a few seconds).
 */
class BenchmarkCrashSafetyTest {
    private static final List<Method> METHODS = List.of(Method.RANDOM, Method.REGULARIZED_EVOLUTION, Method.LOCAL_SEARCH,
            Method.PVLL_LSTM, Method.EA_PVLL);
    private static final List<Long> SEEDS = List.of(0L, 1L, 2L);

    private static List<String> benchmark(Path out) {
        return List.of("benchmark", "--oracle", "synthetic", "--queries", "40", "--seeds", "0..2", "--methods", "random,re,ls,pvll-lstm,ea-pvll",
                "--threads", "2", "--warmup-samples", "6", "--memory", "10", "--regressor-warmup", "5", "--regressor-epochs", "3",
                "--out", out.toString());
    }

    @Test
    void killedTwiceThenRerunEndsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        Cli.Outcome ref = Cli.run(benchmark(whole));
        assertEquals(0, ref.code(), ref.all());

        int first = killAfterUnits(killed, 3, dir.resolve("first.log"));
        // The rerun skips the finished units; killed once it has finished one more, it must keep that one too.
        int second = killAfterUnits(killed, first + 1, dir.resolve("second.log"));
        assertTrue(Files.readString(dir.resolve("second.log")).contains(first + " of " + METHODS.size() * SEEDS.size() + " units already done"),
                Files.readString(dir.resolve("second.log")));

        Cli.Outcome rerun = Cli.run(benchmark(killed));
        assertEquals(0, rerun.code(), rerun.all());
        assertTrue(rerun.err().contains(second + " of " + METHODS.size() * SEEDS.size() + " units already done"), rerun.all());
        assertEquals(Files.readString(whole.resolve("results.jsonl")), Files.readString(killed.resolve("results.jsonl")));
        assertEquals(Files.readString(whole.resolve("summary.json")), Files.readString(killed.resolve("summary.json")));
        assertTrue(Files.readString(killed.resolve("report.html")).endsWith("</html>\n"));
        try (Stream<Path> s = Files.walk(killed)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temp files left: " + tmp);
        }
    }

    /** Runs the benchmark in a child until at least {@code units} unit files exist, kills it; returns the units kept. */
    private static int killAfterUnits(Path out, int units, Path log) throws Exception {
        Process p = Cli.start(benchmark(out), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && finishedUnits(out).size() < units && System.nanoTime() < deadline) Thread.sleep(5);
        Cli.kill(p);
        List<Path> kept = finishedUnits(out);
        assertTrue(kept.size() >= units && kept.size() < METHODS.size() * SEEDS.size(),
                "the kill should land mid-run: " + kept.size() + " unit files\n" + Files.readString(log));
        assertFalse(Files.exists(out.resolve("summary.json")), "the killed run must not have finished");
        // Every unit file on disk is whole: a unit is written at once when it ends, never line by line.
        for (Method m : METHODS) for (long s : SEEDS) {
            if (Files.exists(UnitFiles.path(out, m, s))) assertEquals(40, UnitFiles.read(out, m, s).records().size(), m.id() + " seed " + s);
        }
        return kept.size();
    }

    /** The unit files on disk; a walk that meets a temp file the child renames away meanwhile is repeated. */
    private static List<Path> finishedUnits(Path out) throws IOException {
        while (true) {
            if (!Files.isDirectory(out.resolve("units"))) return List.of();
            try (Stream<Path> s = Files.walk(out.resolve("units"))) {
                return new ArrayList<>(s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList());
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) throw e;
            }
        }
    }
}
