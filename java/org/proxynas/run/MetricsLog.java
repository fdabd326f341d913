package org.proxynas.run;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * metrics.jsonl: one JSON object per line, appended and flushed per record so a crash loses at most the line
 * being written (readers skip a torn last line).
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public MetricsLog(Path file) { this.file = file; }

    public Path file() { return file; }

    /** Appends one record; keys keep their insertion order. */
    public void append(Map<String, ?> record) {
        try {
            String line = JSON.writeValueAsString(record) + "\n";
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Bytes in the file now (0 when absent): saved in checkpoints so a resume can drop records written after it. */
    public long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Cuts the file back to the given length (a resume's checkpoint position). */
    public void truncate(long bytes) {
        if (!Files.exists(file)) return;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > bytes) ch.truncate(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not truncate " + file + ": " + e.getMessage(), e);
        }
    }

    /** A record builder: MetricsLog.record("phase", "train", "epoch", 3). */
    public static Map<String, Object> record(Object... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("record needs key/value pairs");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
