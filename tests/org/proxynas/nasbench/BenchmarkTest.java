package org.proxynas.nasbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;

/** Determinism across thread counts and resume after a kill, on the synthetic oracle. */
class BenchmarkTest {
    static final List<Method> METHODS = List.of(Method.RANDOM, Method.REGULARIZED_EVOLUTION, Method.LOCAL_SEARCH, Method.PVLL_LSTM, Method.EA_PVLL);

    static BenchmarkConfig config(int threads, int queries, List<Long> seeds) {
        return new BenchmarkConfig("synthetic", METHODS, seeds, queries, threads, StrategiesTest.TINY);
    }

    static void run(BenchmarkConfig cfg, Path dir) {
        new Benchmark(cfg, dir, Oracles.named("synthetic"), new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void sameSeedsGiveIdenticalLinesWhateverTheThreads(@TempDir Path tmp) throws Exception {
        run(config(1, 24, List.of(0L, 1L)), tmp.resolve("one"));
        run(config(2, 24, List.of(0L, 1L)), tmp.resolve("two"));
        String a = Files.readString(tmp.resolve("one/results.jsonl")), b = Files.readString(tmp.resolve("two/results.jsonl"));
        assertEquals(METHODS.size() * 2 * 24, a.lines().count());
        assertEquals(a, b);
        assertEquals(Files.readString(tmp.resolve("one/summary.json")), Files.readString(tmp.resolve("two/summary.json")));
        assertTrue(Files.exists(tmp.resolve("one/report.html")));
    }

    @Test
    void aRerunWithOtherSettingsIsRefused(@TempDir Path tmp) {
        run(config(1, 12, List.of(0L)), tmp);
        assertThrows(IllegalArgumentException.class, () -> run(config(1, 13, List.of(0L)), tmp));
    }

    @Test
    void resumeAfterAKillKeepsFinishedUnitsAndEndsAsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        List<Long> seeds = List.of(0L, 1L, 2L);
        int queries = 40;
        run(config(2, queries, seeds), tmp.resolve("whole"));

        Path dir = tmp.resolve("killed");
        Process p = Cli.start(List.of("benchmark", "--oracle", "synthetic", "--queries", String.valueOf(queries), "--seeds", "0..2",
                "--methods", "random,re,ls,pvll-lstm,ea-pvll", "--threads", "2", "--out", dir.toString(),
                "--warmup-samples", "6", "--memory", "10", "--alpha-lr", "3e-2", "--regressor-warmup", "5", "--regressor-epochs", "3",
                "--label", "WARMUP_STANDARDISED", "--gae-hidden", "8"), tmp.resolve("child.log"));
        // Kill once some PVLL unit has finished but before the end (the PVLL units are the slow ones).
        long deadline = System.nanoTime() + 120_000_000_000L;
        Path first = UnitFiles.path(dir, Method.PVLL_LSTM, 0);
        while (p.isAlive() && !Files.exists(first) && System.nanoTime() < deadline) Thread.sleep(20);
        p.destroyForcibly().waitFor();
        int kept = unitFiles(dir);
        assertTrue(kept >= 10 && kept < METHODS.size() * seeds.size(), "the kill should land mid-run; unit files: " + kept + "\n"
                + Files.readString(tmp.resolve("child.log")));
        long before = Files.getLastModifiedTime(UnitFiles.path(dir, Method.RANDOM, 0)).toMillis();

        run(config(1, queries, seeds), dir);
        assertEquals(before, Files.getLastModifiedTime(UnitFiles.path(dir, Method.RANDOM, 0)).toMillis(), "a finished unit was rerun");
        assertEquals(Files.readString(tmp.resolve("whole/results.jsonl")), Files.readString(dir.resolve("results.jsonl")));
        assertEquals(Files.readString(tmp.resolve("whole/summary.json")), Files.readString(dir.resolve("summary.json")));
    }

    private static int unitFiles(Path dir) throws Exception {
        if (!Files.exists(dir.resolve("units"))) return 0;
        try (Stream<Path> s = Files.walk(dir.resolve("units"))) {
            return (int) s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count();
        }
    }
}
