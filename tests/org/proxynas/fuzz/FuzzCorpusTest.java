package org.proxynas.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fuzz corpus: every input format the project reads, damaged in seeded ways ({@link Mutations}) and fed through
 * the real command line in this JVM. Each case must end in a named error (exit 2, a "proxynas: error:" line naming
 * the problem, no stack trace or exception class) or a correct result (exit 0 and the command's output file, or what
 * the scene's {@link FuzzTarget.Judge} accepts, e.g. nb301 predict's exit 1 naming each bad line), within its time
 * box, and must leave no partial file: no temp file, no half-made run folder. The last lines of the run count the
 * outcomes per target and give the suite's wall and CPU time.
 * A new format joins with one line in {@link #TARGETS} (a scene in {@link Scenes} lays out one valid case).
 * -Dfuzz.scale=N multiplies every case count (for a longer local run); -Dfuzz.only=REGEX runs the targets whose
 * name matches; -Dfuzz.log=FILE appends each case's damage, exit status and first error line to FILE.
 */
class FuzzCorpusTest {
    private static final Duration TIME_BOX = Duration.ofSeconds(60);
    private static final double SCALE = Double.parseDouble(System.getProperty("fuzz.scale", "1"));
    private static final String ONLY = System.getProperty("fuzz.only", ".*");
    private static final String LOG = System.getProperty("fuzz.log");
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
            new FuzzTarget("gae-file", 80, false, Mutations::trailingCrc, d -> scenes.gaeFile(d)),
            new FuzzTarget("experiment-plan-yaml", 150, true, null, d -> scenes.experimentPlan(d, false)),
            new FuzzTarget("experiment-plan-json", 100, true, null, d -> scenes.experimentPlan(d, true)),
            new FuzzTarget("experiment-json", 80, true, null, d -> scenes.experimentJson(d)),
            new FuzzTarget("benchmark-unit-file", 100, true, null, d -> scenes.benchmarkResume(d, "units/pvll-lstm/seed-1.jsonl")),
            new FuzzTarget("benchmark-config-json", 50, true, null, d -> scenes.benchmarkResume(d, "config.json")),
            new FuzzTarget("benchmark-timing-json", 30, true, null, d -> scenes.benchmarkResume(d, "units/random/seed-0.timing.json")),
            new FuzzTarget("nb301-genotypes", 150, true, null, d -> scenes.nb301Genotypes(d)),
            new FuzzTarget("nb301-model", 120, false, null, d -> scenes.nb301Model(d), OnnxDamage::damage));

    /** Per target: how many cases ended in each exit status. */
    private static final Map<String, Map<String, Integer>> TALLY = new ConcurrentSkipListMap<>();
    private static long startNanos, startCpuNanos;

    /** CPU time of this JVM (all threads): unlike wall time, it does not grow when other work shares the cores. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @BeforeAll
    static void setUp() throws IOException {
        startNanos = System.nanoTime();
        startCpuNanos = cpuNanos();
        base = Files.createTempDirectory("proxynas-fuzz");
        scenes = new Scenes(base.resolve("made-once"));
    }

    @AfterAll
    static void tearDown() {
        deleteTree(base);
        // One line per target, so a run shows whether the damage reaches past the first check of each format.
        TALLY.forEach((target, counts) -> System.out.println("fuzz " + target + ": " + counts));
        System.out.printf(Locale.ROOT, "fuzz: %d cases in %.0f s wall, %.0f s CPU%n", TALLY.values().stream()
                .flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum(), (System.nanoTime() - startNanos) / 1e9, (cpuNanos() - startCpuNanos) / 1e9);
    }

    @TestFactory
    Stream<DynamicContainer> everyFormatFailsCleanlyOrSucceeds() {
        return TARGETS.stream().filter(t -> t.name().matches(ONLY)).map(t -> DynamicContainer.dynamicContainer(t.name(),
                LongStream.range(0, Math.max(1, Math.round(t.cases() * SCALE))).mapToObj(i ->
                        DynamicTest.dynamicTest(t.name() + " #" + i, () -> runCase(t, i)))));
    }

    private static void runCase(FuzzTarget t, long index) throws IOException {
        Path dir = Files.createDirectories(base.resolve(t.name() + "-" + index));
        try {
            FuzzTarget.Scene scene = t.scene().apply(dir);
            byte[] seed = Files.readAllBytes(scene.fuzzed());
            Mutations.Variant v = Mutations.of(seed, index ^ ((long) t.name().hashCode() << 20), t.text(), t.checksum(), t.structured());
            Files.write(scene.fuzzed(), v.bytes());
            String label = t.name() + " #" + index + " (" + v.how() + ")";
            Cli.Outcome o = assertTimeoutPreemptively(TIME_BOX, () -> Cli.run(scene.args()), label + ": hung");
            if (o.thrown() != null) throw new AssertionError(label + ": unexpected exception", o.thrown());
            TALLY.computeIfAbsent(t.name(), k -> new ConcurrentSkipListMap<>()).merge("exit " + o.code(), 1, Integer::sum);
            if (LOG != null) {
                String err = o.err().lines().filter(l -> !l.startsWith("backend: ") && !l.startsWith("resuming ")).findFirst().orElse("");
                Files.writeString(Path.of(LOG), label + "\texit " + o.code() + "\t" + err + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (scene.judge() != null) {
                String problem = scene.judge().problem(o);
                assertNull(problem, () -> label + ": " + problem + " (exit " + o.code() + ")\n" + o.all());
            } else if (o.code() == 0) {
                assertTrue(Files.exists(scene.success()), label + ": exit 0 without " + scene.success() + "\n" + o.all());
            } else {
                assertTrue(o.cleanError(), label + ": not a named error (exit " + o.code() + ")\n" + o.all());
            }
            if (o.code() != 0 && scene.newRun() != null) assertFalse(Files.exists(scene.newRun()), label + ": a failed new run left " + scene.newRun());
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
