package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.proxy.KendallTau;

import java.util.ArrayList;
import java.util.List;

import static org.proxynas.report.ReportFormat.at;
import static org.proxynas.report.ReportFormat.fmt;
import static org.proxynas.report.ReportFormat.fmtIndex;
import static org.proxynas.report.ReportFormat.seconds;

/** The summary table and the phase table of the report's first section (rows of label and value). */
final class RunSummary {
    private RunSummary() {}

    static List<String[]> rows(RunData data) {
        RunMetrics metrics = data.metrics();
        List<String[]> rows = new ArrayList<>();
        // A search run's config.json nests its settings under "search" (version 2); version 1 had them at the top.
        JsonNode cfgMethod = data.configField("search.method");
        if (cfgMethod == null) cfgMethod = data.configField("method");
        if (cfgMethod != null) rows.add(new String[] {"method", cfgMethod.asText()});
        int skipped = data.skippedLines().size();
        rows.add(new String[] {"records", metrics.phases().stream().mapToInt(p -> metrics.phase(p).size()).sum()
                + (skipped > 0 ? " (" + skipped + " unreadable line(s) skipped)" : "")});
        rows.add(new String[] {"wall time", seconds(metrics.totalElapsed())});
        List<RunMetrics.Point> pts = metrics.trainingPoints();
        rows.add(new String[] {"samples trained", Integer.toString(pts.size())});
        lastValue(rows, pts, "train_loss", "final train loss");
        lastValue(rows, pts, "train_acc", "final train accuracy");
        lastValue(rows, pts, "val_loss", "final validation loss");
        lastValue(rows, pts, "val_acc", "final validation accuracy");
        List<ObjectNode> its = metrics.iterations();
        double bestVal = Double.NaN;
        ObjectNode bestRec = null;
        for (ObjectNode r : its) {
            double v = RunMetrics.num(r, "val_loss");
            if (Double.isFinite(v) && (Double.isNaN(bestVal) || v < bestVal)) { bestVal = v; bestRec = r; }
        }
        if (bestRec != null) rows.add(new String[] {"lowest validation loss in search", fmt(bestVal) + at(bestRec)});
        double bestTau = Double.NaN, lastTau = Double.NaN;
        ObjectNode tauRec = null;
        for (ObjectNode r : its) {
            double t = RunMetrics.num(r, "tau");
            if (!Double.isFinite(t)) continue;
            lastTau = t;
            if (Double.isNaN(bestTau) || t > bestTau) { bestTau = t; tauRec = r; }
        }
        if (tauRec != null) {
            // the memory's tau measures the fit to labels the regressor trained on; only the held-out tau measures ranking
            rows.add(new String[] {"Kendall τ on the memory, best (the fit, not a ranking check)", fmt(bestTau) + at(tauRec)});
            rows.add(new String[] {"Kendall τ on the memory, final", fmt(lastTau)});
        }
        List<ObjectNode> warm = metrics.phase("regressor_warmup");
        if (!warm.isEmpty()) {
            ObjectNode last = warm.getLast();
            rows.add(new String[] {"regressor warm-up", warm.size() + " epochs, final loss " + fmt(RunMetrics.num(last, "loss"))
                    + ", τ " + fmt(RunMetrics.num(last, "tau"))});
        }
        double[][] mem = data.proxyPair("measured", "predicted");
        if (mem != null) rows.add(new String[] {"proxy τ on the memory (final)", fmt(KendallTau.tauBFinite(mem[0], mem[1]))
                + " (n=" + RunCharts.count(mem) + ")"});
        double[][] held = data.proxyPair("heldout_measured", "heldout_predicted");
        if (held != null) rows.add(new String[] {"proxy τ held out (ranking of unseen paths)", fmt(KendallTau.tauBFinite(held[0], held[1]))
                + heldoutInterval(metrics) + " (n=" + RunCharts.count(held) + ")"});
        rows.add(new String[] {"finished", metrics.phase("final").isEmpty() ? "no (no final record yet)" : "yes"});
        return rows;
    }

    /** The held-out record's 90% interval as " [low, high]", or "" where the run has none. */
    private static String heldoutInterval(RunMetrics metrics) {
        List<ObjectNode> held = metrics.phase("heldout");
        if (held.isEmpty()) return "";
        double lo = RunMetrics.num(held.getLast(), "tau_low"), hi = RunMetrics.num(held.getLast(), "tau_high");
        return Double.isFinite(lo) && Double.isFinite(hi) ? " [" + fmt(lo) + ", " + fmt(hi) + "]" : "";
    }

    /** Per phase: name, records, index range, elapsed at its end and its wall time. */
    static List<String[]> phaseRows(RunMetrics metrics) {
        List<String[]> rows = new ArrayList<>();
        for (RunMetrics.PhaseSummary s : metrics.phaseSummaries()) {
            String range = s.indexField() == null ? "" : s.indexField() + " " + fmtIndex(s.firstIndex())
                    + (s.lastIndex() != s.firstIndex() ? "–" + fmtIndex(s.lastIndex()) : "");
            rows.add(new String[] {s.phase(), Integer.toString(s.records()), range, seconds(s.endElapsed()),
                    seconds(s.duration()) + (s.includes().isEmpty() ? "" : " (including " + String.join(", ", s.includes()) + ")")});
        }
        return rows;
    }

    private static void lastValue(List<String[]> rows, List<RunMetrics.Point> pts, String field, String label) {
        for (int i = pts.size() - 1; i >= 0; i--) {
            double v = RunMetrics.num(pts.get(i).record(), field);
            if (Double.isFinite(v)) {
                rows.add(new String[] {label, fmt(v) + " (" + pts.get(i).phase() + at(pts.get(i).record()).replace(" (", " ")
                        .replace(")", "") + ")"});
                return;
            }
        }
    }
}
