package org.proxynas.nasbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.run.AtomicFiles;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.TextFiles;
import org.proxynas.space.GenotypeJson;

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

    /**
     * The unit if its file exists, else null. A damaged file (not UTF-8 text, a line that is not JSON, a query out of
     * order, a missing or non-numeric field, a genotype that does not parse) is an error naming the file and the line,
     * and saying that deleting the file runs the unit again.
     */
    public static UnitResult read(Path dir, Method m, long seed) {
        Path p = path(dir, m, seed);
        if (!Files.exists(p)) return null;
        String again = "; delete it to run " + m.id() + " seed " + seed + " again";
        String text;
        try {
            text = TextFiles.read(p, "one JSON object a line");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + again, e);
        }
        List<QueryRecord> out = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = p + " line " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": not valid JSON" + JsonFiles.where(e) + again);
            }
            if (n == null || !n.isObject() || !m.id().equals(n.path("method").asText()) || !n.path("seed").isIntegralNumber() || n.path("seed").asLong() != seed
                    || !n.path("query").isIntegralNumber() || n.path("query").asLong() != out.size() + 1
                    || !finite(n.get("accuracy")) || !finite(n.get("best")) || !n.path("genotype").isObject()
                    || (n.has("predicted") && !finite(n.get("predicted"))) || (n.has("label") && !finite(n.get("label")))) {
                throw new IllegalArgumentException(where + ": expected query " + (out.size() + 1) + " of " + m.id() + " seed " + seed
                        + " with numbers accuracy and best and a genotype object" + again);
            }
            String genotype = n.get("genotype").toString();
            try {
                GenotypeJson.parse(genotype, where + " genotype");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + again, e);
            }
            out.add(new QueryRecord(n.get("query").asInt(), genotype, n.get("accuracy").asDouble(), n.get("best").asDouble(),
                    n.has("predicted") ? n.get("predicted").asDouble() : Double.NaN, n.has("label") ? n.get("label").asDouble() : Double.NaN));
        }
        return new UnitResult(m, seed, out);
    }

    private static boolean finite(JsonNode n) { return n != null && n.isNumber() && Double.isFinite(n.asDouble()); }
}
