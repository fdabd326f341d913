package org.proxynas.run;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads metrics.jsonl leniently: blank lines are ignored, and a line that is not a JSON object (the torn last line
 * of a run that was killed mid-write, or damage elsewhere) is skipped and counted, never fatal.
 */
public final class MetricsReader {
    /** Strict about trailing garbage (a torn line must not half-parse), lenient about NaN/Infinity literals. */
    private static final ObjectReader JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private MetricsReader() {}

    /** The readable records, in file order, and the line numbers (1-based) that were skipped. */
    public record Records(List<ObjectNode> records, List<Integer> skippedLines) {
        public Records {
            records = List.copyOf(records);
            skippedLines = List.copyOf(skippedLines);
        }
    }

    /** Reads a file; a missing file is an {@link UncheckedIOException}. */
    public static Records read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a metrics.jsonl file. */
    public static Records parse(String text) {
        List<ObjectNode> records = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            try {
                JsonNode node = JSON.readTree(line);
                if (node instanceof ObjectNode o) records.add(o);
                else skipped.add(i + 1);
            } catch (IOException e) {
                skipped.add(i + 1);
            }
        }
        return new Records(records, skipped);
    }
}
