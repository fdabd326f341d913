package org.proxynas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.fuzz.Fixtures;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 15's defects, one regression test each: the crashes (now named errors), the half-made run directories
 * (nothing is written before every input is checked), reused --out folders, and foreign or edited run state on
 * --resume. Search runs use the tiny synthetic configuration; train runs a 3-cell net on a few IDX images.
 */
class RunHygieneTest {
    @TempDir static Path shared;
    static Path data;
    /** A finished tiny random search, reused by the resume tests (each copies it). */
    static Path searchRun;

    static List<String> tinySearch(Path out) {
        return new ArrayList<>(List.of("search", "--method", "random", "--dataset", "synthetic", "--warmup-samples", "3",
                "--iterations", "2", "--steps-per-sample", "1", "--channels", "2", "--layers", "3", "--batch", "8",
                "--data-fraction", "0.02", "--val-fraction", "0.2", "--eval-batch", "64", "--threads", "1", "--backend", "cpu",
                "--heldout", "0", "--out", out.toString()));
    }

    static List<String> tinyTrain(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--genotype", "DARTS_V2", "--dataset", "fashion-mnist", "--data", data.toString(),
                "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "4", "--cutout", "0", "--threads", "1", "--backend", "cpu",
                "--out", out.toString()));
        return with(a, extra);
    }

    /** Options replaced by value where already present ("--force" is a flag and appended). */
    static List<String> with(List<String> args, String... extra) {
        List<String> a = new ArrayList<>(args);
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--force")) {
                a.add("--force");
                continue;
            }
            int at = a.indexOf(extra[i]);
            if (at >= 0) a.set(at + 1, extra[i + 1]);
            else a.addAll(List.of(extra[i], extra[i + 1]));
            i++;
        }
        return a;
    }

    @BeforeAll
    static void fixtures() {
        data = Fixtures.fashionMnist(shared.resolve("fmnist"), 12, 4);
        searchRun = shared.resolve("search-run");
        Cli.Outcome o = Cli.run(tinySearch(searchRun));
        assertEquals(0, o.code(), o.all());
    }

    /** A failed command: exit 2, one named error line containing every fragment, and no trace. */
    static void assertRefused(Cli.Outcome o, String... fragments) {
        assertTrue(o.cleanError(), "expected a clean error, got code " + o.code() + ": " + o.all() + (o.thrown() != null ? " " + o.thrown() : ""));
        for (String f : fragments) assertTrue(o.err().contains(f), "error should mention '" + f + "': " + o.err());
    }

    /** The folder holds exactly the given entries (no half-made run, no hidden .new-/.old- leftovers). */
    static void assertEntries(Path dir, String... names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(names), s.map(p -> p.getFileName().toString()).sorted().toList(), "entries of " + dir);
        }
    }

    static Path copyRun(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }

    // ---- crashes -------------------------------------------------------------------------------------------

    @Test
    void idxLabelCountOfMaxIntIsATruncationErrorNotOutOfMemory(@TempDir Path dir) throws IOException {
        Path d = Fixtures.fashionMnist(dir.resolve("d"), 12, 4);
        byte[] labels = Files.readAllBytes(d.resolve(Fixtures.TRAIN_LABELS));
        labels[4] = 0x7F; labels[5] = (byte) 0xFF; labels[6] = (byte) 0xFF; labels[7] = (byte) 0xFF;
        Files.write(d.resolve(Fixtures.TRAIN_LABELS), labels);
        Path out = dir.resolve("out");
        assertRefused(Cli.run(tinyTrain(out, "--data", d.toString())), Fixtures.TRAIN_LABELS, "truncated", "2147483647");
        assertFalse(Files.exists(out));
    }

    @Test
    void idxImageHeaderClaimingMoreThanTheFileIsATruncationError(@TempDir Path dir) throws IOException {
        Path d = Fixtures.fashionMnist(dir.resolve("d"), 12, 4);
        Path f = d.resolve(Fixtures.TRAIN_IMAGES);
        byte[] b = Files.readAllBytes(f);
        java.nio.ByteBuffer.wrap(b).putInt(4, 2_000_000).putInt(8, 32).putInt(12, 32);
        Files.write(f, b);
        Path out = dir.resolve("out");
        assertRefused(Cli.run(tinyTrain(out, "--data", d.toString())), f.toString(), "truncated", "expected size " + (16 + 2_000_000L * 32 * 32));
        assertFalse(Files.exists(out));
    }

    @Test
    void trainFractionWithABatchLargerThanTheSetIsRefused(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertRefused(Cli.run(tinyTrain(out, "--train-fraction", "0.5", "--batch", "100000")), "--batch 100000", "6 images", "--train-fraction 0.5");
        assertFalse(Files.exists(out));
    }

    @Test
    void idxSetWithZeroImagesNamesItsFile(@TempDir Path dir) {
        Path d = Fixtures.fashionMnist(dir.resolve("d"), 12, 4);
        Fixtures.write(d.resolve(Fixtures.TRAIN_IMAGES), Fixtures.idxImages(0, 28, 28));
        Fixtures.write(d.resolve(Fixtures.TRAIN_LABELS), Fixtures.idxLabels(0));
        Path out = dir.resolve("out");
        assertRefused(Cli.run(tinyTrain(out, "--data", d.toString())), d.resolve(Fixtures.TRAIN_IMAGES).toString(), "image count is 0");
        assertFalse(Files.exists(out));
    }

    @Test
    void emptyTestSetNamesItsFile(@TempDir Path dir) {
        Path d = Fixtures.fashionMnist(dir.resolve("d"), 12, 4);
        Fixtures.write(d.resolve(Fixtures.TEST_IMAGES), Fixtures.idxImages(0, 28, 28));
        Fixtures.write(d.resolve(Fixtures.TEST_LABELS), Fixtures.idxLabels(0));
        assertRefused(Cli.run(tinyTrain(dir.resolve("out"), "--data", d.toString())), d.resolve(Fixtures.TEST_IMAGES).toString(), "image count is 0");
    }

    @Test
    void hugeLayerCountIsRefusedByTheMemoryCheckBeforeAnythingIsWritten(@TempDir Path dir) {
        Path out = dir.resolve("out");
        List<String> a = tinySearch(out);
        a.set(a.indexOf("--layers") + 1, "100000");
        assertRefused(Cli.run(a), "--layers 100000", "GiB", "heap");
        assertFalse(Files.exists(out));
        assertRefused(Cli.run(tinyTrain(out, "--layers", "100000", "--channels", "16", "--batch", "8")), "--layers 100000", "heap");
        assertFalse(Files.exists(out));
    }

    // ---- half-made run directories -------------------------------------------------------------------------

    @Test
    void failedChecksLeaveNoRunDirectory(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out"), d = Fixtures.fashionMnist(dir.resolve("d"), 12, 4);
        Files.write(d.resolve(Fixtures.TEST_LABELS), new byte[] {0, 0, 8, 1, 0}); // truncated header
        Path gae = Fixtures.write(dir.resolve("gae.bin"), "not a gae".getBytes());
        List<List<String>> cases = new ArrayList<>();
        cases.add(tinyTrain(out, "--data", d.toString()));                 // damaged data
        cases.add(tinyTrain(out, "--batch", "13"));                         // batch larger than the set
        cases.add(tinyTrain(out, "--channels", "0"));                       // channel count
        cases.add(tinyTrain(out, "--genotype", dir.resolve("nope.txt").toString()));
        cases.add(tinyTrain(out, "--data", dir.resolve("missing").toString()));
        List<String> s = tinySearch(out);
        s.addAll(List.of("--regressor", "gae", "--gae-file", gae.toString()));
        cases.add(s);                                                        // damaged GAE file
        s = tinySearch(out);
        s.addAll(List.of("--regressor", "gae", "--gae-file", dir.resolve("absent.bin").toString()));
        cases.add(s);                                                        // missing GAE file
        s = tinySearch(out);
        s.set(s.indexOf("--batch") + 1, "1000");
        cases.add(s);                                                        // batch larger than the split
        s = tinySearch(out);
        s.set(s.indexOf("--dataset") + 1, "fashion-mnist");
        s.addAll(List.of("--data", d.toString()));
        cases.add(s);                                                        // damaged data
        s = tinySearch(out);
        s.set(s.indexOf("--channels") + 1, "3");
        cases.add(s);                                                        // odd channel count
        for (List<String> c : cases) {
            Cli.Outcome o = Cli.run(c);
            assertTrue(o.cleanError(), c + " -> " + o.all());
            assertEntries(dir, "d", "gae.bin");
        }
    }

    // ---- one owner per run directory -----------------------------------------------------------------------

    @Test
    void emptyOutIsRefused(@TempDir Path dir) {
        assertRefused(Cli.run(tinyTrain(Path.of(""))), "--out is empty");
    }

    @Test
    void reusedOutIsRefusedAndLeftAlone(@TempDir Path dir) throws IOException {
        Path run = copyRun(searchRun, dir.resolve("run"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        assertRefused(Cli.run(tinySearch(run)), "--out " + run, "not empty", "--force", "--resume");
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")), "metrics.jsonl must not be appended to");
    }

    @Test
    void unrelatedNonEmptyFolderIsRefusedAndForceReplacesItWhole(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertRefused(Cli.run(tinyTrain(out)), "--out " + out, "notes.txt");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        Cli.Outcome o = Cli.run(tinyTrain(out, "--force"));
        assertEquals(0, o.code(), o.all());
        assertFalse(Files.exists(out.resolve("notes.txt")), "--force replaces the folder, it does not mix");
        assertTrue(Files.exists(out.resolve("result.json")));
        assertEntries(dir, "out");
    }

    @Test
    void benchmarkAndExperimentRefuseAFolderHoldingSomethingElse(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertRefused(Cli.run("benchmark", "--oracle", "synthetic", "--queries", "2", "--seeds", "0", "--methods", "random", "--out", out.toString()),
                "--out " + out, "notes.txt", "holds no benchmark (no config.json)");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "name: x\nsearch: {methods: [random], seeds: [1]}\nk8s: {image: img}\n");
        assertRefused(Cli.run("experiment", plan.toString(), "--engine", "k8s", "--dir", out.toString()),
                "--dir " + out, "holds no experiment (no experiment.json)");
        assertEntries(out, "notes.txt");
        assertRefused(Cli.run("benchmark", "--oracle", "synthetic", "--queries", "2", "--seeds", "0", "--methods", "random", "--out", ""), "--out is empty");
    }

    @Test
    void anExperimentTaskNeverClearsARunDirectoryAnotherProcessWorksIn(@TempDir Path dir) throws IOException {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "name: x\nsearch: {methods: [random], seeds: [1]}\nk8s: {image: img}\n");
        Path exp = dir.resolve("exp");
        Cli.Outcome made = Cli.run("experiment", plan.toString(), "--engine", "k8s", "--dir", exp.toString());
        assertEquals(0, made.code(), made.all());
        // A search task left running (no checkpoint yet) by an experiment that was killed: a resume must not clear it.
        Path task = Files.createDirectories(exp.resolve("search/0"));
        Files.writeString(task.resolve("log.txt"), "still running");
        try (RunDirectory held = RunDirectory.resume(task)) {
            assertRefused(Cli.run("experiment", "run-task", exp.toString(), "search", "0"), "search/0", "in use by another proxynas process");
        }
        assertEquals("still running", Files.readString(task.resolve("log.txt")));
    }

    @Test
    void anEmptyExistingFolderIsUsed(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        assertEquals(0, Cli.run(tinyTrain(out)).code());
        assertTrue(Files.exists(out.resolve("result.json")));
        assertEntries(dir, "out");
    }

    @Test
    void aRunDirectoryInUseIsRefusedToASecondProcess(@TempDir Path dir) throws IOException {
        Path run = copyRun(searchRun, dir.resolve("run"));
        try (RunDirectory held = RunDirectory.resume(run)) {
            assertEquals(run, held.path());
            assertRefused(Cli.run("search", "--resume", run.toString()), "in use by another proxynas process");
            assertRefused(Cli.run(with(tinySearch(run), "--force")), "still running");
        }
    }

    // ---- checkpoints bound to their run --------------------------------------------------------------------

    @Test
    void aCheckpointFromAnotherRunIsRefused(@TempDir Path dir) throws IOException {
        Path a = copyRun(searchRun, dir.resolve("a")), b = dir.resolve("b");
        assertEquals(0, Cli.run(tinySearch(b)).code());
        Files.copy(b.resolve("checkpoint.bin"), a.resolve("checkpoint.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String genotype = Files.readString(a.resolve("genotype.json"));
        String idA = JsonFiles.mapper().readTree(a.resolve("config.json").toFile()).get("run_id").asText();
        String idB = JsonFiles.mapper().readTree(b.resolve("config.json").toFile()).get("run_id").asText();
        assertNotEquals(idA, idB);
        assertRefused(Cli.run("search", "--resume", a.toString()), "belongs to run " + idB, "is run " + idA);
        assertEquals(genotype, Files.readString(a.resolve("genotype.json")), "the refused resume must not touch the run");
    }

    @Test
    void anEditedConfigIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path run = copyRun(searchRun, dir.resolve("run"));
        Path cfg = run.resolve("config.json");
        ObjectNode c = (ObjectNode) JsonFiles.mapper().readTree(cfg.toFile());
        ((ObjectNode) c.get("search").get("schedule")).put("iterations", 1);
        JsonFiles.write(cfg, c);
        assertRefused(Cli.run("search", "--resume", run.toString()), "was edited", "search.schedule.iterations: 2 -> 1");
    }

    @Test
    void optionsThatWouldChangeAResumedRunAreRefusedAndSafeOnesAccepted(@TempDir Path dir) throws IOException {
        Path run = copyRun(searchRun, dir.resolve("run"));
        for (String[] opt : new String[][] {{"--layers", "4"}, {"--seed", "9"}, {"--method", "darts"}, {"--dataset", "default"}}) {
            assertRefused(Cli.run("search", "--resume", run.toString(), opt[0], opt[1]), opt[0], "would change it");
        }
        assertRefused(Cli.run("evolve", "--resume", run.toString()), "is a random run", "search --resume");
        Cli.Outcome ok = Cli.run("search", "--resume", run.toString(), "--threads", "2", "--checkpoint-every", "3");
        assertEquals(0, ok.code(), ok.all());
        assertTrue(Files.readString(run.resolve("log.txt")).contains("resume override: --threads 2"), "the override is said");
    }

    @Test
    void aFailedResumeLogsItsError(@TempDir Path dir) throws IOException {
        Path run = copyRun(searchRun, dir.resolve("run"));
        Checkpoints.dropArray(run.resolve("checkpoint.bin"));
        Cli.Outcome o = Cli.run("search", "--resume", run.toString());
        assertTrue(o.cleanError(), o.all());
        String log = Files.readString(run.resolve("log.txt"));
        assertTrue(log.contains("resuming random") && log.contains("error: "), log);
    }

    // ---- messages ------------------------------------------------------------------------------------------

    @Test
    void messagesNameTheFileOrOptionWithoutInternals(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        assertRefused(Cli.run(tinyTrain(out, "--genotype", "random:abc")), "random:abc", "whole number");
        Path bin = Fixtures.write(dir.resolve("g.txt"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1});
        assertRefused(Cli.run(tinyTrain(out, "--genotype", bin.toString())), bin.toString(), "not a text file");
        assertRefused(Cli.run(tinyTrain(out, "--data", bin.toString())), bin.toString(), "is a file");
        List<String> s = tinySearch(out);
        s.addAll(List.of("--regressor", "gae", "--gae-file", dir.resolve("absent.bin").toString()));
        assertRefused(Cli.run(s), "absent.bin: no such file", "pretrain-gae");

        for (int size : new int[] {0, 10}) {
            Path run = copyRun(searchRun, dir.resolve("ck" + size));
            byte[] ck = Files.readAllBytes(run.resolve("checkpoint.bin"));
            Files.write(run.resolve("checkpoint.bin"), java.util.Arrays.copyOf(ck, size));
            assertRefused(Cli.run("search", "--resume", run.toString()), run.resolve("checkpoint.bin").toString(), size == 0 ? "empty" : "truncated");
        }
        Path run = copyRun(searchRun, dir.resolve("cfg"));
        Files.writeString(run.resolve("config.json"), "{\"format\": \"proxynas-search-config\", \"search\": [1,");
        Cli.Outcome o = Cli.run("search", "--resume", run.toString());
        assertRefused(o, run.resolve("config.json").toString(), "not valid JSON at line 1");
        assertFalse(o.err().contains("Unexpected") || o.err().contains("[Source"), "no parser internals: " + o.err());
    }

    @Test
    void reportFailsOnAnUnreadableMetricsFile(@TempDir Path dir) throws IOException {
        for (byte[] content : new byte[][] {new byte[0], {(byte) 0xFF, (byte) 0xD8, 0, 7}, "]]\n{{\n".getBytes()}) {
            Path run = copyRun(searchRun, dir.resolve("r" + content.length));
            Files.write(run.resolve("metrics.jsonl"), content);
            assertRefused(Cli.run("report", run.toString()), run.resolve("metrics.jsonl").toString());
        }
    }

    @Test
    void cutoutLargerThanTheImageWarns(@TempDir Path dir) {
        Cli.Outcome o = Cli.run(tinyTrain(dir.resolve("out"), "--cutout", "99"));
        assertEquals(0, o.code(), o.all());
        assertTrue(o.err().contains("warning: --cutout 99"), o.err());
    }

    @Test
    void infoExplainsTheEmulationLine() {
        Cli.Outcome o = Cli.run("info");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("cuda-emu CPU emulation of the CUDA kernels (slow; for the tests and --backend emulated)"), o.out());
    }
}
