package org.proxynas.experiment;

import org.proxynas.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tiny two-seed experiment (PVLL search at C=2, L=3 on the synthetic set, then the best genotype retrained with
 * two seeds for one epoch), one thread per task so results are bit-reproducible on the CPU backend. Its tasks run
 * the CLI from this JVM's class path (the compiled classes and the dependencies Maven resolved), so the test needs no
 * packaged jar and runs in the ordinary test phase; the same launcher serves the Slurm jobs on this machine.
 */
final class ToyExperiment {
    static final String PLAN = """
            name: toy
            search:
              methods: [pvll]
              seeds: [1, 2]
              options: {dataset: synthetic, warmup-samples: 3, iterations: 3, steps-per-sample: 1, channels: 2, layers: 3,
                        batch: 8, regressor-warmup: 5, regressor-epochs: 3, data-fraction: 0.02, val-fraction: 0.5,
                        eval-batch: 64, threads: 1, checkpoint-every: 1}
            retrain:
              top: 1
              seeds: [1, 2]
              options: {dataset: synthetic, epochs: 1, layers: 3, channels: 2, batch: 16, train-fraction: 0.02,
                        cutout: 0, auxiliary: false, threads: 1}
            resources: {gpus: 0, cpus: 1, memory: 2G, time: "00:15:00", max_parallel: 2}
            """;

    private static Path local;
    private static String localSummary;

    private ToyExperiment() {}

    /** java with the launcher's flags and this JVM's class path, as one command line (no spaces in the paths). */
    static String launcher() {
        return String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    static Path writePlan(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve("plan.yaml");
        Files.writeString(p, PLAN);
        return p;
    }

    /** The plan run once with --engine local (shared by the local and the Slurm tests); its summary.json as first written. */
    static synchronized Path localRun() throws IOException {
        if (local == null) {
            // Under target/, which the build owns and `mvn clean` removes (the runs outlive this test class).
            Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "toy-experiment-");
            Path exp = root.resolve("local");
            Cli r = cli("experiment", writePlan(root).toString(), "--dir", exp.toString(), "--parallel", "2", "--launcher", launcher());
            assertEquals(0, r.exit(), "local experiment run:\n" + r.out());
            local = exp;
            localSummary = Files.readString(exp.resolve(Collector.SUMMARY));
        }
        return local;
    }

    static synchronized String localSummary() throws IOException {
        localRun();
        return localSummary;
    }

    record Cli(int exit, String out) {}

    /** Runs the CLI in this JVM, capturing what it prints on stdout. */
    static synchronized Cli cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            int rc = Main.commandLine().execute(args);
            return new Cli(rc, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    static List<String> resumed(String out) {
        List<String> r = new ArrayList<>();
        for (String line : out.split("\n")) if (line.startsWith("resuming ")) r.add(line.substring(9, line.indexOf(' ', 9)));
        return r;
    }

    static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
