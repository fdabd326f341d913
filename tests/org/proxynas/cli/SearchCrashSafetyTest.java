package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.report.RunReport;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchRunFiles;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash safety of search runs beyond a kill in the middle of the search (ResumeTest): a SIGKILL while the search
 * writes its report, or while {@code proxynas report} rewrites it, leaves every file whole (its old content or its
 * new, never half of it), and the run stays reportable and resumable to the result of an uninterrupted run; a full
 * disk stops a search with a message naming the file and the reason, and once there is room the last checkpoint
 * resumes to that same result. CPU backend, one thread, so the result is bit-reproducible.
 */
class SearchCrashSafetyTest {
    private static final long TIMEOUT_S = 240;

    @TempDir static Path shared;
    private static Path reference;

    static List<String> search(Path out) {
        return List.of("search", "--method", "pvll", "--dataset", "synthetic", "--warmup-samples", "3", "--iterations", "8",
                "--steps-per-sample", "1", "--channels", "2", "--layers", "3", "--batch", "8", "--regressor-warmup", "5",
                "--regressor-epochs", "3", "--data-fraction", "0.02", "--val-fraction", "0.5", "--eval-batch", "64", "--heldout", "4",
                "--diagnose-paths", "0", "--oiw", "--threads", "1", "--backend", "cpu", "--checkpoint-every", "1", "--out", out.toString());
    }

    /** The uninterrupted run every test compares with, made once. */
    private static synchronized Path reference() {
        if (reference == null) {
            Path r = shared.resolve("reference");
            Cli.Outcome o = Cli.run(search(r));
            assertEquals(0, o.code(), o.all());
            reference = r;
        }
        return reference;
    }

    /** Runs args in a child JVM, kills it once the report's first file (the loss chart) appears, checks every file is whole. */
    private static void killWhileTheReportIsWritten(List<String> args, Path run, Path log) throws Exception {
        Process p = Cli.start(args, log);
        waitFor(p, run.resolve(RunReport.svgFile(RunReport.LOSS)), log);
        Cli.kill(p);
        assertFalse(Files.exists(run.resolve(RunReport.HTML)), "the kill should land while the report is written (report.html is its last file)");
        assertWhole(run);
    }

    @Test
    void aKillWhileTheSearchWritesItsReportLeavesTheRunReportableAndResumable(@TempDir Path dir) throws Exception {
        Path ref = reference(), run = dir.resolve("killed");
        // The report is the search's last step, and its first file is the loss chart: kill as soon as it appears.
        killWhileTheReportIsWritten(search(run), run, dir.resolve("child.log"));

        Cli.Outcome report = Cli.run("report", run.toString());
        assertEquals(0, report.code(), report.all());
        assertWhole(run);
        assertTrue(Files.exists(run.resolve(RunReport.HTML)));

        Cli.Outcome resumed = Cli.run("search", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.all());
        assertSameResult(ref, run);
        assertWhole(run);
        assertNoTemporaryFiles(run);
    }

    @Test
    void aKillWhileReportRewritesTheReportLeavesEveryFileWhole(@TempDir Path dir) throws Exception {
        Path ref = reference(), run = copy(ref, dir.resolve("run"));
        List<String> outputs = reportOutputs(ref);
        // As after a run killed before its report: the first file `report` writes marks the moment to kill it.
        for (String f : outputs) Files.delete(run.resolve(f));
        killWhileTheReportIsWritten(List.of("report", run.toString()), run, dir.resolve("child.log"));

        Cli.Outcome again = Cli.run("report", run.toString());
        assertEquals(0, again.code(), again.all());
        assertWhole(run);
        assertNoTemporaryFiles(run);
        for (String f : outputs) {
            // report.html states when it was generated; every chart and diagram is the same as the first report's
            if (!f.equals(RunReport.HTML)) assertArrayEquals(Files.readAllBytes(ref.resolve(f)), Files.readAllBytes(run.resolve(f)), f);
        }
    }

    @Test
    void aFullDiskStopsTheSearchWithAClearMessageAndTheLastCheckpointResumes(@TempDir Path dir) throws Exception {
        Path ref = reference();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), "4m")) {
            Path run = disk.path().resolve("run"), checkpoint = run.resolve(RunContext.CHECKPOINT), log = dir.resolve("child.log");
            Process p = Cli.start(search(run), log);
            int index = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (p.isAlive() && index < 1 && System.nanoTime() < deadline) {
                index = SearchRunFiles.searchIndex(checkpoint);
                Thread.sleep(10);
            }
            assertTrue(p.isAlive() && index >= 1, "the child should be searching (index " + index + "): " + Files.readString(log));
            disk.fill();
            assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the search should stop on the full disk");
            String out = Files.readString(log);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains("proxynas: error: ") && out.contains("No space left on device") && out.contains(run.toString()), out);
            assertFalse(Cli.looksLikeTrace(out), out);
            int kept = SearchRunFiles.searchIndex(checkpoint);
            assertTrue(kept >= index, "the last checkpoint is intact (search index " + kept + ", " + index + " seen before the disk filled)");
            assertNoTemporaryFiles(run);

            disk.free();
            Cli.Outcome resumed = Cli.run("search", "--resume", run.toString());
            assertEquals(0, resumed.code(), resumed.all());
            assertTrue(resumed.err().contains("resumed from " + checkpoint), resumed.all());
            assertSameResult(ref, run);
        }
    }

    // ---- checks --------------------------------------------------------------------------------------------

    /** Genotype, alpha and metrics (apart from elapsed times) as the uninterrupted run. */
    private static void assertSameResult(Path ref, Path run) throws IOException {
        assertEquals(Files.readString(ref.resolve("genotype.txt")), Files.readString(run.resolve("genotype.txt")));
        assertEquals(Files.readString(ref.resolve("alpha.json")), Files.readString(run.resolve("alpha.json")));
        assertEquals(SearchRunFiles.metricsWithoutTimes(ref), SearchRunFiles.metricsWithoutTimes(run), "metrics.jsonl apart from elapsed times");
    }

    /** Every output file is whole: JSON parses, SVG is well-formed XML, PNG decodes, DOT and HTML end as written. */
    private static void assertWhole(Path run) throws Exception {
        try (Stream<Path> s = Files.list(run)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) continue; // the lock, and an atomic write's temp file cut short (never read)
                String what = f + " is not whole";
                if (name.endsWith(".json")) assertDoesNotThrow(() -> JsonFiles.mapper().readTree(f.toFile()), what);
                else if (name.endsWith(".svg")) assertDoesNotThrow(() -> DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile()), what);
                else if (name.endsWith(".png")) assertNotNull(ImageIO.read(f.toFile()), what);
                else if (name.endsWith(".dot")) assertTrue(Files.readString(f).endsWith("}\n"), what);
                else if (name.endsWith(".html")) assertTrue(Files.readString(f).endsWith("</html>\n"), what);
                else if (name.equals(RunContext.CHECKPOINT)) assertDoesNotThrow(() -> Checkpoint.read(f), what);
                else if (name.equals("genotype.txt")) assertTrue(Files.readString(f).endsWith(")\n"), what);
            }
        }
    }

    private static void assertNoTemporaryFiles(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            List<String> tmp = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temp files left: " + tmp);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void waitFor(Process p, Path file, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (p.isAlive() && !Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(2);
        assertTrue(p.isAlive() && Files.exists(file), "the child should be writing the report (" + file + "): " + Files.readString(log));
    }

    /** The files the report wrote into a finished run. */
    private static List<String> reportOutputs(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".svg") || n.endsWith(".png") || n.endsWith(".dot") || n.equals(RunReport.HTML)).sorted().toList();
        }
    }



    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (!p.getFileName().toString().equals(RunDirectory.LOCK)) Files.copy(p, t);
            }
        }
        return to;
    }
}
