package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.MetricsReader;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeFiles;
import org.proxynas.space.GenotypeText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run directory holds for its report, read leniently: each input is loaded or carries a one-line reason why
 * not (absent, empty, damaged), so that a running or killed run still gets a page. Metrics are empty, never null.
 *
 * @param skippedLines  the metrics.jsonl lines (1-based) that were not JSON objects
 * @param configText    config.json as written, or null (then configProblem says why)
 * @param inputsPresent the {@link #INPUTS} that exist, in their order
 */
record RunData(Path dir, RunMetrics metrics, String metricsProblem, List<Integer> skippedLines,
               JsonNode proxy, String proxyProblem, Genotype genotype, String genotypeSource, String genotypeProblem,
               String configText, String configProblem, Set<String> inputsPresent) {
    /** The files a search writes that the page links to, with what each holds. */
    static final Map<String, String> INPUTS = inputs();

    private static Map<String, String> inputs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config.json", "resolved configuration");
        m.put("log.txt", "log");
        m.put("metrics.jsonl", "one JSON record per step");
        m.put("genotype.json", "genotype (JSON)");
        m.put("genotype.txt", "genotype (DARTS text)");
        m.put("proxy.json", "memory labels and final predictions");
        return java.util.Collections.unmodifiableMap(m);
    }

    RunData {
        skippedLines = List.copyOf(skippedLines);
        inputsPresent = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(inputsPresent));
    }

    /** Reads everything the report uses from dir; never fails on a missing or damaged input. */
    static RunData load(Path dir) {
        Metrics m = metrics(dir);
        Proxy p = proxy(dir);
        Found g = genotype(dir, m.metrics());
        Config c = config(dir);
        Set<String> present = new LinkedHashSet<>();
        for (String f : INPUTS.keySet()) if (Files.isRegularFile(dir.resolve(f))) present.add(f);
        return new RunData(dir, m.metrics(), m.problem(), m.skipped(), p.node(), p.problem(), g.genotype(), g.source(),
                g.problem(), c.text(), c.problem(), present);
    }

    /** Warnings for the top of the page (a torn last line is normal while a run writes). */
    List<String> warnings() {
        if (skippedLines.isEmpty()) return List.of();
        return List.of("metrics.jsonl: skipped " + skippedLines.size() + " unreadable line(s) " + abbreviate(skippedLines)
                + " (a torn last line is normal for a run that is still writing or was killed)");
    }

    /** A scalar field of config.json, or null when absent, not a scalar or the file is not JSON. */
    JsonNode configField(String name) {
        if (configText == null) return null;
        try {
            JsonNode v = new ObjectMapper().readTree(configText);
            for (String part : name.split("\\.")) v = v == null ? null : v.get(part);
            return v != null && v.isValueNode() ? v : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Two arrays of proxy.json as (x, y) pairs (see {@link RunCharts#pair(double[], double[])}), or null. */
    double[][] proxyPair(String xField, String yField) {
        if (proxy == null) return null;
        return RunCharts.pair(RunMetrics.vector(proxy, xField), RunMetrics.vector(proxy, yField));
    }

    private record Metrics(RunMetrics metrics, String problem, List<Integer> skipped) {}

    private static Metrics metrics(Path dir) {
        Path m = dir.resolve("metrics.jsonl");
        RunMetrics empty = new RunMetrics(List.of());
        if (!Files.isRegularFile(m)) return new Metrics(empty, "there is no metrics.jsonl in the run directory", List.of());
        try {
            MetricsReader.Records recs = MetricsReader.read(m);
            RunMetrics metrics = new RunMetrics(recs.records());
            return new Metrics(metrics, metrics.isEmpty() ? "metrics.jsonl has no records yet" : null, recs.skippedLines());
        } catch (UncheckedIOException e) {
            return new Metrics(empty, "metrics.jsonl could not be read: " + e.getMessage(), List.of());
        }
    }

    private record Proxy(JsonNode node, String problem) {}

    private static Proxy proxy(Path dir) {
        Path p = dir.resolve("proxy.json");
        if (!Files.isRegularFile(p)) return new Proxy(null, "there is no proxy.json (written when the search finishes)");
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(p, StandardCharsets.UTF_8));
            return n != null && n.isObject() ? new Proxy(n, null) : new Proxy(null, "proxy.json is not a JSON object");
        } catch (IOException e) {
            return new Proxy(null, "proxy.json could not be read: " + ReportFormat.oneLine(e.getMessage()));
        }
    }

    private record Found(Genotype genotype, String source, String problem) {}

    /** From genotype.json or genotype.txt, else from the last final or search record that has one. */
    private static Found genotype(Path dir, RunMetrics metrics) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("genotype.json", "genotype.txt")) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) continue;
            try {
                return new Found(GenotypeFiles.load(f), name, null);
            } catch (RuntimeException e) {
                problems.add(ReportFormat.oneLine(e.getMessage()));
            }
        }
        for (String[] src : new String[][] {{"final", "the final record of metrics.jsonl"}, {"search", "the last search record of metrics.jsonl"}}) {
            List<ObjectNode> rs = src[0].equals("search") ? metrics.iterations() : metrics.phase(src[0]);
            for (int i = rs.size() - 1; i >= 0; i--) {
                JsonNode g = rs.get(i).get("genotype");
                if (g == null || !g.isTextual()) continue;
                try {
                    return new Found(GenotypeText.parse(g.asText(), "metrics.jsonl " + src[0] + " genotype"), src[1], null);
                } catch (RuntimeException e) {
                    problems.add(ReportFormat.oneLine(e.getMessage()));
                    break;
                }
            }
        }
        return new Found(null, null, problems.isEmpty() ? "no genotype.json, genotype.txt or genotype in metrics.jsonl yet"
                : String.join("; ", problems));
    }

    private record Config(String text, String problem) {}

    private static Config config(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) return new Config(null, "there is no config.json in the run directory");
        try {
            return new Config(Files.readString(cfg, StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            return new Config(null, "config.json could not be read: " + ReportFormat.oneLine(e.getMessage()));
        }
    }

    private static String abbreviate(List<Integer> lines) {
        if (lines.size() <= 5) return "(line " + lines.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        return "(lines " + lines.get(0) + ", " + lines.get(1) + ", ... " + lines.getLast() + ")";
    }
}
