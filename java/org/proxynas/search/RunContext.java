package org.proxynas.search;

import org.proxynas.run.MetricsLog;
import org.proxynas.run.RunIdentity;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * A run directory as a search writes it: metrics.jsonl, log.txt (every console line, time-stamped) and
 * checkpoint.bin. Elapsed time continues across resumes.
 */
public final class RunContext {
    public static final String CHECKPOINT = "checkpoint.bin", METRICS = "metrics.jsonl", LOG = "log.txt", CONFIG = "config.json";

    private final Path dir;
    private final MetricsLog metrics;
    private final long startNanos = System.nanoTime();
    private double elapsedBefore;
    private RunIdentity identity;

    public RunContext(Path dir) {
        this.dir = dir;
        this.metrics = new MetricsLog(dir.resolve(METRICS));
    }

    public Path dir() { return dir; }
    public Path checkpointFile() { return dir.resolve(CHECKPOINT); }

    /** Seconds since the run started, including the time before a resume. */
    public double elapsed() { return elapsedBefore + (System.nanoTime() - startNanos) / 1e9; }

    public void setElapsedBefore(double seconds) { this.elapsedBefore = seconds; }

    /** The run's id and configuration hash, stamped into every checkpoint (null: a run from before run ids). */
    public RunIdentity identity() { return identity; }

    public void setIdentity(RunIdentity identity) { this.identity = identity; }

    public void metric(Map<String, ?> record) { metrics.append(record); }

    /** Bytes of metrics.jsonl now (saved in checkpoints so a resume can drop records written after it). */
    public long metricsBytes() {
        try {
            return Files.exists(metrics.file()) ? Files.size(metrics.file()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts metrics.jsonl back to the length it had at the checkpoint being resumed. */
    public void truncateMetrics(long bytes) {
        if (!Files.exists(metrics.file())) return;
        try (RandomAccessFile f = new RandomAccessFile(metrics.file().toFile(), "rw")) {
            if (f.length() > bytes) f.setLength(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not truncate " + metrics.file() + ": " + e.getMessage(), e);
        }
    }

    /** A console line, also appended to log.txt. */
    public void log(String line) {
        System.err.println(line);
        try {
            Files.writeString(dir.resolve(LOG), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve(LOG) + ": " + e.getMessage(), e);
        }
    }
}
