package org.proxynas.nasbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.run.AtomicFiles;

/**
 * A unit's results on disk: {@code units/<method>/seed-<n>.jsonl}, one JSON line per counted query, written
 * atomically when the unit finishes (a killed run loses only the units in flight). Lines hold method, seed, query,
 * accuracy, best, genotype and, for PVLL samples, the regressor's prediction and the label.
 */
public final class UnitFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UnitFiles() {}

    public static Path path(Path dir, Method m, long seed) { return dir.resolve("units").resolve(m.id()).resolve("seed-" + seed + ".jsonl"); }

    public static String lines(UnitResult u) {
        StringBuilder b = new StringBuilder();
        for (QueryRecord r : u.records()) b.append(line(u.method(), u.seed(), r)).append('\n');
        return b.toString();
    }

    static String line(Method m, long seed, QueryRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("method", m.id());
        o.put("seed", seed);
        o.put("query", r.query());
        o.put("accuracy", r.accuracy());
        o.put("best", r.best());
        try {
            o.set("genotype", JSON.readTree(r.genotype()));
        } catch (IOException e) {
            throw new IllegalStateException("genotype JSON does not parse: " + r.genotype(), e);
        }
        if (Double.isFinite(r.predicted())) o.put("predicted", r.predicted());
        if (Double.isFinite(r.label())) o.put("label", r.label());
        return o.toString();
    }

    public static void write(Path dir, UnitResult u) {
        AtomicFiles.writeString(path(dir, u.method(), u.seed()), lines(u));
    }

    /** The unit if its file exists, else null; a malformed file is an error naming it and the line. */
    public static UnitResult read(Path dir, Method m, long seed) {
        Path p = path(dir, m, seed);
        if (!Files.exists(p)) return null;
        List<QueryRecord> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                JsonNode n = JSON.readTree(lines.get(i));
                if (!m.id().equals(n.path("method").asText()) || n.path("seed").asLong(-1) != seed || n.path("query").asInt() != out.size() + 1
                        || !n.has("accuracy") || !n.has("best") || !n.has("genotype")) {
                    throw new IllegalArgumentException(p + " line " + (i + 1) + ": expected query " + (out.size() + 1) + " of " + m.id()
                            + " seed " + seed + " with accuracy, best and genotype");
                }
                out.add(new QueryRecord(n.get("query").asInt(), n.get("genotype").toString(), n.get("accuracy").asDouble(), n.get("best").asDouble(),
                        n.has("predicted") ? n.get("predicted").asDouble() : Double.NaN, n.has("label") ? n.get("label").asDouble() : Double.NaN));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
        return new UnitResult(m, seed, out);
    }
}
