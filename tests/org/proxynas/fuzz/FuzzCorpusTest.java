package org.proxynas.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fuzz corpus: every input format the project reads, damaged in seeded ways ({@link Mutations}) and fed through
 * the real command line in this JVM. Each case must end in a named error (exit 2, a "proxynas: error:" line naming
 * the problem, no stack trace or exception class) or a correct result (exit 0 and the command's output file), within
 * its time box, and must leave no partial file: no temp file, no half-made run folder.
 * A new format joins with one line in {@link #TARGETS} (a scene in {@link Scenes} lays out one valid case).
 * -Dfuzz.scale=N multiplies every case count (for a longer local run).
 */
class FuzzCorpusTest {
    private static final Duration TIME_BOX = Duration.ofSeconds(60);
    private static final double SCALE = Double.parseDouble(System.getProperty("fuzz.scale", "1"));
    private static Path base;
    private static Scenes scenes;

    static final List<FuzzTarget> TARGETS = List.of(
            new FuzzTarget("idx-train-images", 200, false, null, d -> scenes.idx(d, Fixtures.TRAIN_IMAGES)),
            new FuzzTarget("idx-test-labels", 200, false, null, d -> scenes.idx(d, Fixtures.TEST_LABELS)),
            new FuzzTarget("idx-gzip", 150, false, null, d -> scenes.idxGzip(d)),
            new FuzzTarget("cifar-binary", 100, false, null, d -> scenes.cifar(d)),
            new FuzzTarget("genotype-text", 300, true, null, d -> scenes.genotypeText(d)),
            new FuzzTarget("genotype-json", 300, true, null, d -> scenes.genotypeJson(d)),
            new FuzzTarget("search-config-json", 150, true, null, d -> scenes.searchResume(d, "config.json")),
            new FuzzTarget("search-checkpoint", 200, false, Mutations::trailingCrc, d -> scenes.searchResume(d, "checkpoint.bin")),
            new FuzzTarget("train-config-json", 200, true, null, d -> scenes.trainResume(d, "config.json")),
            new FuzzTarget("train-checkpoint", 250, false, Mutations::trailingCrc, d -> scenes.trainResume(d, "checkpoint.bin")),
            new FuzzTarget("metrics-jsonl", 60, true, null, d -> scenes.metrics(d)),
            new FuzzTarget("bench-json", 100, true, null, d -> scenes.benchJson(d)),
            new FuzzTarget("gae-file", 80, false, Mutations::trailingCrc, d -> scenes.gaeFile(d)));

    @BeforeAll
    static void setUp() throws IOException {
        base = Files.createTempDirectory("proxynas-fuzz");
        scenes = new Scenes(base.resolve("made-once"));
    }

    @AfterAll
    static void tearDown() { deleteTree(base); }

    @TestFactory
    Stream<DynamicContainer> everyFormatFailsCleanlyOrSucceeds() {
        return TARGETS.stream().map(t -> DynamicContainer.dynamicContainer(t.name(),
                LongStream.range(0, Math.max(1, Math.round(t.cases() * SCALE))).mapToObj(i ->
                        DynamicTest.dynamicTest(t.name() + " #" + i, () -> runCase(t, i)))));
    }

    private static void runCase(FuzzTarget t, long index) throws IOException {
        Path dir = Files.createDirectories(base.resolve(t.name() + "-" + index));
        try {
            FuzzTarget.Scene scene = t.scene().apply(dir);
            byte[] seed = Files.readAllBytes(scene.fuzzed());
            Mutations.Variant v = Mutations.of(seed, index ^ ((long) t.name().hashCode() << 20), t.text(), t.checksum());
            Files.write(scene.fuzzed(), v.bytes());
            String label = t.name() + " #" + index + " (" + v.how() + ")";
            Cli.Outcome o = assertTimeoutPreemptively(TIME_BOX, () -> Cli.run(scene.args()), label + ": hung");
            if (o.thrown() != null) throw new AssertionError(label + ": unexpected exception", o.thrown());
            if (o.code() == 0) {
                assertTrue(Files.exists(scene.success()), label + ": exit 0 without " + scene.success() + "\n" + o.all());
            } else {
                assertTrue(o.cleanError(), label + ": not a named error (exit " + o.code() + ")\n" + o.all());
                if (scene.newRun() != null) assertFalse(Files.exists(scene.newRun()), label + ": a failed new run left " + scene.newRun());
            }
            assertFalse(Cli.looksLikeTrace(o.all()), label + ": stack trace or exception name in the output\n" + o.all());
            assertNoPartialFiles(dir, label);
        } finally {
            deleteTree(dir);
        }
    }

    /** No temp file of an atomic write and no staging folder of a run directory survives a case. */
    private static void assertNoPartialFiles(Path dir, String label) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> partial = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp") || n.contains(".new-") || n.contains(".old-")).toList();
            assertTrue(partial.isEmpty(), label + ": partial files left: " + partial);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
