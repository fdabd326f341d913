package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of a run's metrics.jsonl grouped by phase, with lenient accessors: a missing, null or non-numeric
 * field reads as NaN, and a record whose index (sample/iter/candidate/epoch/step) repeats within its phase (a
 * resumed run re-logging steps) replaces the earlier one.
 */
public final class RunMetrics {
    /** Fields that number the records of a phase, tried in this order. */
    static final List<String> INDEX_FIELDS = List.of("iter", "sample", "candidate", "epoch", "step");
    /** Phases that are not supernet training (no point on the "samples trained" axis). */
    static final Set<String> NOT_TRAINING = Set.of("regressor_warmup", "final");

    private final Map<String, List<ObjectNode>> byPhase = new LinkedHashMap<>();

    public RunMetrics(List<ObjectNode> records) {
        Map<String, Map<Object, ObjectNode>> keyed = new LinkedHashMap<>();
        int serial = 0;
        for (ObjectNode r : records) {
            String phase = phaseOf(r);
            double idx = index(r);
            Object key = Double.isNaN(idx) ? "#" + serial++ : (Object) idx;
            Map<Object, ObjectNode> m = keyed.computeIfAbsent(phase, k -> new LinkedHashMap<>());
            m.remove(key); // a re-logged index moves to its new place in file order
            m.put(key, r);
        }
        keyed.forEach((phase, m) -> byPhase.put(phase, List.copyOf(m.values())));
    }

    static String phaseOf(JsonNode r) {
        JsonNode p = r.get("phase");
        return p != null && p.isTextual() ? p.asText() : "(no phase)";
    }

    /** Phases in order of first appearance. */
    public List<String> phases() { return List.copyOf(byPhase.keySet()); }

    /** The records of a phase (empty if none). */
    public List<ObjectNode> phase(String name) { return byPhase.getOrDefault(name, List.of()); }

    public boolean isEmpty() { return byPhase.isEmpty(); }

    /** A numeric field, NaN when absent, null or not a number ("NaN" strings parse). */
    public static double num(JsonNode r, String field) {
        JsonNode v = r == null ? null : r.get(field);
        if (v == null || v.isNull()) return Double.NaN;
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The record's index within its phase, NaN if it has none. */
    public static double index(JsonNode r) {
        for (String f : INDEX_FIELDS) {
            double v = num(r, f);
            if (!Double.isNaN(v)) return v;
        }
        return Double.NaN;
    }

    /** The name of the index field the record uses, or null. */
    public static String indexField(JsonNode r) {
        for (String f : INDEX_FIELDS) if (!Double.isNaN(num(r, f))) return f;
        return null;
    }

    /** True if the record trains the supernet (has a train or validation loss/accuracy) and its phase does. */
    static boolean isTraining(String phase, JsonNode r) {
        if (NOT_TRAINING.contains(phase)) return false;
        for (String f : List.of("train_loss", "val_loss", "train_acc", "val_acc")) if (r.has(f)) return true;
        return false;
    }

    /** One point per trained sample, all training phases concatenated on a "samples trained" axis. */
    public record Point(double x, String phase, ObjectNode record) {}

    /** A phase's first x on the training axis. */
    public record Boundary(double x, String phase) {}

    /** The training points in phase order; x counts from 1. */
    public List<Point> trainingPoints() {
        List<Point> out = new ArrayList<>();
        int x = 0;
        for (var e : byPhase.entrySet()) {
            for (ObjectNode r : e.getValue()) {
                if (isTraining(e.getKey(), r)) out.add(new Point(++x, e.getKey(), r));
            }
        }
        return out;
    }

    /** Where each training phase starts on the training axis (at x - 0.5 of its first point). */
    public List<Boundary> trainingBoundaries() {
        List<Boundary> out = new ArrayList<>();
        String last = null;
        for (Point p : trainingPoints()) {
            if (!p.phase().equals(last)) out.add(new Boundary(p.x() - 0.5, p.phase()));
            last = p.phase();
        }
        return out;
    }

    /**
     * The architecture-search iterations: the "search" phase, or for a baseline without one, the records of any
     * other training phase numbered by iter or candidate.
     */
    public List<ObjectNode> iterations() {
        if (byPhase.containsKey("search")) return phase("search");
        List<ObjectNode> out = new ArrayList<>();
        for (var e : byPhase.entrySet()) {
            if (e.getKey().equals("warmup") || e.getKey().equals("memory") || NOT_TRAINING.contains(e.getKey())) continue;
            for (ObjectNode r : e.getValue()) if (r.has("iter") || r.has("candidate")) out.add(r);
        }
        return out;
    }

    /** The last record (file order across phases kept per phase) that has the field, or null. */
    public ObjectNode lastWith(String field) {
        ObjectNode found = null;
        for (List<ObjectNode> list : byPhase.values()) {
            for (ObjectNode r : list) if (r.hasNonNull(field)) found = r;
        }
        return found;
    }

    /** The largest elapsed_s over all records (NaN if none). */
    public double totalElapsed() {
        double m = Double.NaN;
        for (List<ObjectNode> list : byPhase.values()) {
            for (ObjectNode r : list) {
                double e = num(r, "elapsed_s");
                if (!Double.isNaN(e)) m = Double.isNaN(m) ? e : Math.max(m, e);
            }
        }
        return m;
    }

    /** Per-phase summary: record count, index range, elapsed_s at its end and the wall time since the previous phase ended. */
    public record PhaseSummary(String phase, int records, String indexField, double firstIndex, double lastIndex,
                               double endElapsed, double duration, List<String> includes) {}

    /** elapsed_s is read as seconds since the run started (cumulative). */
    public List<PhaseSummary> phaseSummaries() {
        List<PhaseSummary> out = new ArrayList<>();
        double prevEnd = 0;
        List<String> untimed = new ArrayList<>();
        for (var e : byPhase.entrySet()) {
            List<ObjectNode> rs = e.getValue();
            double end = Double.NaN, first = Double.NaN, last = Double.NaN;
            String field = null;
            for (ObjectNode r : rs) {
                double el = num(r, "elapsed_s");
                if (!Double.isNaN(el)) end = Double.isNaN(end) ? el : Math.max(end, el);
                double i = index(r);
                if (!Double.isNaN(i)) {
                    if (field == null) field = indexField(r);
                    first = Double.isNaN(first) ? i : Math.min(first, i);
                    last = Double.isNaN(last) ? i : Math.max(last, i);
                }
            }
            double duration = Double.isNaN(end) ? Double.NaN : Math.max(0, end - prevEnd);
            // a phase without elapsed_s (e.g. regressor warm-up) is counted in the next timed phase's wall time
            out.add(new PhaseSummary(e.getKey(), rs.size(), field, first, last, end, duration,
                    Double.isNaN(end) ? List.of() : List.copyOf(untimed)));
            if (Double.isNaN(end)) {
                untimed.add(e.getKey());
            } else {
                prevEnd = Math.max(prevEnd, end);
                untimed.clear();
            }
        }
        return out;
    }

    /** A field of each record as an array (NaN where missing). */
    public static double[] column(List<? extends JsonNode> records, String field) {
        double[] out = new double[records.size()];
        for (int i = 0; i < out.length; i++) out[i] = num(records.get(i), field);
        return out;
    }

    /** A numeric matrix field (array of arrays), or null if absent or not a matrix; bad entries read as NaN. */
    public static double[][] matrix(JsonNode r, String field) {
        JsonNode m = r == null ? null : r.get(field);
        if (m == null || !m.isArray() || m.isEmpty()) return null;
        double[][] out = new double[m.size()][];
        for (int i = 0; i < m.size(); i++) {
            JsonNode row = m.get(i);
            if (!row.isArray()) return null;
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                JsonNode v = row.get(j);
                out[i][j] = v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText()) : Double.NaN;
            }
        }
        return out;
    }

    /** A numeric array field, or null. */
    public static double[] vector(JsonNode r, String field) {
        JsonNode m = r == null ? null : r.get(field);
        if (m == null || !m.isArray()) return null;
        double[] out = new double[m.size()];
        for (int i = 0; i < m.size(); i++) {
            JsonNode v = m.get(i);
            out[i] = v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText()) : Double.NaN;
        }
        return out;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
