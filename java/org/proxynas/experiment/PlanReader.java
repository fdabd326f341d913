package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.proxynas.run.TextFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a plan file (YAML, or JSON, which is YAML too). Every error names the file and the field
 * and says what was expected; unknown fields are errors, so a misspelt key does not silently fall back.
 */
public final class PlanReader {
    public static final List<String> METHODS = List.of("pvll", "evolve", "darts", "random");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*");
    /** Options the experiment sets itself on every task. */
    private static final Set<String> RESERVED = Set.of("out", "seed", "method", "genotype", "resume", "metrics-file", "help", "version");

    private final String source;

    private PlanReader(String source) { this.source = source; }

    public static Plan read(Path file) {
        String text;
        try {
            text = TextFiles.read(file, "a YAML or JSON plan");
        } catch (UncheckedIOException e) {
            throw new PlanException(file + ": cannot read the plan: " + e.getCause().getMessage());
        }
        return parse(text, file.toString());
    }

    public static Plan parse(String text, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // The YAML parser's own text may name its event classes; only a plain first line is kept.
            String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            var at = e.getLocation();
            throw new PlanException(source + ": not valid YAML or JSON" + (at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + (why.isBlank() || why.contains("org.") || why.contains("<") ? "" : " (" + why + ")"));
        }
        return new PlanReader(source).plan(root);
    }

    /** The plan as a JSON tree (experiment.json keeps it, so status and resume need no plan file). */
    public static JsonNode toTree(Plan plan) { return new ObjectMapper().valueToTree(plan); }

    public static Plan fromTree(JsonNode tree, String source) {
        try {
            return new ObjectMapper().treeToValue(tree, Plan.class);
        } catch (IOException e) {
            throw new PlanException(source + ": field 'plan' is not a stored plan: " + e.getMessage());
        }
    }

    private Plan plan(JsonNode root) {
        if (root == null || !root.isObject()) throw error("", "expected a mapping with 'name' and 'search'");
        known(root, "", "name", "search", "retrain", "resources", "slurm", "k8s", "launcher");
        String name = text(root, "name", null);
        if (name == null || !NAME.matcher(name).matches()) {
            throw error("name", "expected lower-case letters, digits and '-' (at most 40, a Kubernetes and Slurm job name), got " + show(root.get("name")));
        }
        JsonNode s = object(root, "search", true);
        known(s, "search", "methods", "seeds", "options");
        List<String> methods = new ArrayList<>();
        for (JsonNode m : list(s, "search.methods")) {
            if (!m.isTextual() || !METHODS.contains(m.asText())) throw error("search.methods", "expected each of " + METHODS + ", got " + show(m));
            if (methods.contains(m.asText())) throw error("search.methods", "'" + m.asText() + "' is listed twice");
            methods.add(m.asText());
        }
        Plan.SearchStage search = new Plan.SearchStage(methods, seeds(s, "search.seeds"), options(s, "search.options"));
        Plan.RetrainStage retrain = null;
        JsonNode r = object(root, "retrain", false);
        if (r != null) {
            known(r, "retrain", "top", "seeds", "options");
            int top = integer(r, "retrain.top", 1, 1, search.seeds().size());
            retrain = new Plan.RetrainStage(top, seeds(r, "retrain.seeds"), options(r, "retrain.options"));
        }
        JsonNode res = object(root, "resources", false);
        if (res != null) known(res, "resources", "gpus", "cpus", "memory", "time", "max_parallel");
        Plan.Resources resources = new Plan.Resources(integer(res, "resources.gpus", 1, 0, 16), integer(res, "resources.cpus", 4, 1, 1024),
                text(res, "memory", "resources.memory", "16G", "[0-9]+[KMGT]i?"), text(res, "time", "resources.time", "24:00:00", "([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}"),
                integer(res, "resources.max_parallel", 8, 1, 100000));
        JsonNode sl = object(root, "slurm", false);
        if (sl != null) known(sl, "slurm", "partition", "extra");
        List<String> extra = new ArrayList<>();
        if (sl != null && sl.has("extra")) {
            for (JsonNode e : list(sl, "slurm.extra")) {
                if (!e.isTextual() || !e.asText().startsWith("--") || e.asText().contains("\n")) throw error("slurm.extra", "expected sbatch options such as '--account=abc', got " + show(e));
                extra.add(e.asText());
            }
        }
        Plan.SlurmSettings slurm = new Plan.SlurmSettings(text(sl, "partition", "slurm.partition", null, "[A-Za-z0-9_,.-]+"), extra);
        JsonNode k = object(root, "k8s", false);
        if (k != null) known(k, "k8s", "image", "claim", "storage", "namespace", "backoff_limit_per_index");
        Plan.K8sSettings k8s = new Plan.K8sSettings(text(k, "image", "k8s.image", null, "[^\\s]+"),
                text(k, "claim", "k8s.claim", name + "-data", NAME.pattern()), text(k, "storage", "k8s.storage", "20Gi", "[0-9]+[KMGT]i?"),
                text(k, "namespace", "k8s.namespace", "default", NAME.pattern()), integer(k, "k8s.backoff_limit_per_index", 1, 0, 100));
        return new Plan(name, search, retrain, resources, slurm, k8s, text(root, "launcher", null));
    }

    private List<Long> seeds(JsonNode parent, String field) {
        List<Long> seeds = new ArrayList<>();
        for (JsonNode n : list(parent, field)) {
            if (!n.canConvertToLong() || !n.isIntegralNumber()) throw error(field, "expected whole numbers, got " + show(n));
            if (seeds.contains(n.asLong())) throw error(field, "seed " + n.asLong() + " is listed twice");
            seeds.add(n.asLong());
        }
        return seeds;
    }

    /** Option name (without --) to value; true/false become the flag and its --no- form. */
    private Map<String, String> options(JsonNode parent, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode o = parent.get(field.substring(field.indexOf('.') + 1));
        if (o == null || o.isNull()) return out;
        if (!o.isObject()) throw error(field, "expected a mapping of option names (without --) to values, got " + show(o));
        for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey(), where = field + "." + key;
            if (!OPTION.matcher(key).matches()) throw error(where, "expected an option name such as 'iterations' (no leading --)");
            if (RESERVED.contains(key)) throw error(where, "--" + key + " is set by the experiment for each task");
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) throw error(where, "expected a number, a word or true/false, got " + show(v));
            out.put(key, v.asText());
        }
        return out;
    }

    private List<JsonNode> list(JsonNode parent, String field) {
        JsonNode n = parent.get(field.substring(field.lastIndexOf('.') + 1));
        if (n == null || !n.isArray() || n.isEmpty()) throw error(field, "expected a non-empty list, got " + show(n));
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private JsonNode object(JsonNode parent, String field, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) throw error(field, "missing (expected a mapping)");
            return null;
        }
        if (!n.isObject()) throw error(field, "expected a mapping, got " + show(n));
        return n;
    }

    private int integer(JsonNode parent, String field, int fallback, int min, int max) {
        JsonNode n = parent == null ? null : parent.get(field.substring(field.lastIndexOf('.') + 1));
        if (n == null || n.isNull()) return fallback;
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) throw error(field, "expected a whole number in [" + min + ", " + max + "], got " + show(n));
        return n.asInt();
    }

    private String text(JsonNode parent, String field, String fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual() || n.asText().isBlank()) throw error(field, "expected a non-empty string, got " + show(n));
        return n.asText();
    }

    private String text(JsonNode parent, String key, String field, String fallback, String pattern) {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) return fallback;
        if (!n.isValueNode() || !n.asText().matches(pattern)) throw error(field, "expected a value matching " + pattern + ", got " + show(n));
        return n.asText();
    }

    private void known(JsonNode n, String where, String... fields) {
        Set<String> ok = Set.of(fields);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw new PlanException(source + ": field '" + (where.isEmpty() ? f : where + "." + f) + "': unknown field (expected one of " + List.of(fields) + ")");
            }
        }
    }

    private PlanException error(String field, String what) {
        return new PlanException(source + (field.isEmpty() ? "" : ": field '" + field + "'") + ": " + what);
    }

    private static String show(JsonNode n) { return n == null ? "nothing" : n.isTextual() ? "'" + n.asText() + "'" : n.toString(); }
}
