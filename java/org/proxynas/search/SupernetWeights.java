package org.proxynas.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.data.Dataset;
import org.proxynas.run.Checkpoint;

import java.nio.file.Path;

/**
 * A warmed-up supernet in one file (supernet.bin): its weights and BN statistics, and the shape and data it was
 * trained for. `proxynas diagnose` writes one after its warm-up; `--init-supernet` starts a search or a diagnostic
 * from it, so several searches share one long warm-up (the reference trains the supernet on 100 full-epoch paths
 * before the first label; a short warm-up leaves labels falling as the supernet converges, which buries the paths).
 */
public final class SupernetWeights {
    public static final String FILE = "supernet.bin";
    static final String FORMAT = "proxynas-supernet";

    private SupernetWeights() {}

    /** Writes the runner's weights (atomically), with what a later run checks against. */
    public static void save(SupernetRunner runner, SearchConfig cfg, Dataset d, int warmupPaths, Path file) {
        Checkpoint c = new Checkpoint();
        ObjectNode h = c.header();
        h.put("format", FORMAT);
        h.put("channels", cfg.supernet().channels());
        h.put("layers", cfg.supernet().layers());
        h.put("classes", d.classes());
        h.put("input_channels", d.channels());
        h.put("dataset", d.name());
        h.put("seed", cfg.seed());
        h.put("warmup_paths", warmupPaths);
        h.put("weight_steps", runner.steps());
        runner.saveWeights(c);
        c.write(file);
    }

    /**
     * Reads file and checks it fits cfg's supernet on d; every refusal names the option, the file and the field.
     *
     * @param option the command-line option that named the file (it starts every message)
     * @throws IllegalArgumentException when it does not fit (Checkpoint.CheckpointException when it is not readable)
     */
    public static Checkpoint read(Path file, String option, SearchConfig cfg, Dataset d) {
        Checkpoint c = Checkpoint.read(file);
        String format = c.header().path("format").asText();
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(option + " " + file + ": not a supernet.bin (header field 'format' is '" + format
                    + "', expected '" + FORMAT + "'; `proxynas diagnose` writes one)");
        }
        expect(option, file, c, "channels", cfg.supernet().channels(), "--channels");
        expect(option, file, c, "layers", cfg.supernet().layers(), "--layers");
        expect(option, file, c, "classes", d.classes(), "the dataset's classes");
        expect(option, file, c, "input_channels", d.channels(), "the dataset's image channels");
        return c;
    }

    private static void expect(String option, Path file, Checkpoint c, String field, int expected, String what) {
        int got = c.field(field).asInt();
        if (got != expected) {
            throw new IllegalArgumentException(option + " " + file + ": header field '" + field + "' is " + got + " but this run has "
                    + what + " " + expected + "; use a supernet.bin written for the same supernet and dataset");
        }
    }
}
