package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.proxynas.run.ProgressBar;

import java.util.Locale;

/** How the report writes numbers, indices, durations and messages. */
final class ReportFormat {
    private ReportFormat() {}

    /** Four decimals, scientific outside [1e-3, 1e5), "n/a" for NaN. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A whole index without decimals. */
    static String fmtIndex(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : fmt(v);
    }

    /** " (iter 12)": the record's index, or "" when it has none. */
    static String at(JsonNode r) {
        String f = RunMetrics.indexField(r);
        return f == null ? "" : " (" + f + " " + fmtIndex(RunMetrics.index(r)) + ")";
    }

    static String seconds(double s) {
        if (Double.isNaN(s)) return "n/a";
        return ProgressBar.formatSeconds(s) + (s >= 60 ? String.format(Locale.ROOT, " (%.0f s)", s) : "");
    }

    static String cap(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    static String oneLine(String s) { return s == null ? "" : s.replaceAll("\\s+", " ").strip(); }
}
