package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.chart.Chart;
import org.proxynas.space.CellType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.proxynas.report.ReportFormat.cap;
import static org.proxynas.report.ReportFormat.fmt;
import static org.proxynas.report.ReportFormat.oneLine;

/** report.html from a run's data and the figures written for it: summary, genotype, training, proxy, α, configuration, files. */
final class ReportPage {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RunData data;
    private final RunFigures figures;
    private final ReportHtml h;

    private ReportPage(RunData data, RunFigures figures, String title) {
        this.data = data;
        this.figures = figures;
        this.h = new ReportHtml(title);
    }

    static String html(RunData data, RunFigures figures) {
        Path dir = data.dir();
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        ReportPage page = new ReportPage(data, figures, "ProxyNAS run " + name);
        page.header(name);
        page.summary();
        page.genotype();
        page.training();
        page.proxy();
        page.alpha();
        page.config();
        page.files();
        return page.h.finish();
    }

    private void header(String name) {
        h.h1("ProxyNAS run " + name);
        h.meta("Directory " + data.dir().toAbsolutePath().normalize() + " · report generated "
                + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")));
        h.nav(List.of(new String[] {"summary", "Summary"}, new String[] {"genotype", "Genotype"},
                new String[] {"training", "Supernet training"}, new String[] {"proxy", "Proxy"},
                new String[] {"alpha", "Architecture parameters"}, new String[] {"config", "Configuration"},
                new String[] {"files", "Files"}));
        for (String w : data.warnings()) h.warning(w);
        if (!Chart.pngAvailable()) {
            h.meta("Charts are SVG only: this Java runtime has no java.desktop module (the GPU bundle's), which the "
                    + "PNG copies need; `proxynas report DIR` with a full JDK adds them.");
        }
    }

    private void summary() {
        h.h2("summary", "Summary");
        if (data.metricsProblem() != null) {
            h.notAvailable("Summary", data.metricsProblem());
        } else {
            h.table(null, RunSummary.rows(data));
            h.h3("Phases");
            h.table(new String[] {"phase", "records", "range", "ended at", "wall time"}, RunSummary.phaseRows(data.metrics()));
        }
    }

    private void genotype() {
        h.h2("genotype", "Genotype");
        if (data.genotype() == null) {
            h.notAvailable("Genotype", data.genotypeProblem());
        } else {
            h.meta("From " + data.genotypeSource() + ".");
            h.pre(data.genotype().toDartsText());
        }
        for (CellType cell : CellType.values()) {
            h.h3(cap(cell.key()) + " cell");
            String svg = RunReport.cellSvg(cell), dot = RunReport.cellDot(cell);
            if (figures.written().contains(svg)) {
                h.figure(svg, cap(cell.key()) + " cell: inputs c_{k-2}, c_{k-1}, nodes 0-3, output c_{k} (concat)",
                        cell.key() + " cell diagram");
                h.links(List.<String[]>of(new String[] {dot, "Graphviz source (dot -Tpdf " + dot + ")"}));
            } else {
                h.notAvailable("Cell diagram", figures.missing().get(svg));
            }
        }
    }

    private void training() {
        h.h2("training", "Supernet training");
        fig(RunReport.LOSS, "Training and validation loss of the sampled path for every trained sample: warm-up, memory and "
                + "search phases on one axis (dashed lines mark where a phase starts).", "loss");
        fig(RunReport.ACCURACY, "Training and validation accuracy of the sampled path, same axis.", "accuracy");
    }

    private void proxy() {
        h.h2("proxy", "Proxy");
        fig(RunReport.PROXY, "Predicted against measured validation loss; points on the dashed diagonal are predicted exactly.", "proxy");
        fig(RunReport.TAU, "Kendall rank correlation between the proxy's predictions and the measured losses in the memory, "
                + "after the regressor was refitted in each iteration.", "Kendall tau");
        heldout();
        labelDiagnostic();
    }

    private void alpha() {
        h.h2("alpha", "Architecture parameters");
        for (CellType cell : CellType.values()) {
            fig(RunReport.alphaChart(cell), "Final α of the " + cell.key() + " cell (raw values; rows are edges 'node<-input', "
                    + "columns operations); outlined cells are the edges and operations the derived genotype keeps.",
                    "alpha " + cell.key());
        }
        fig(RunReport.OPS, "How many edges of the derived genotype (normal and reduction cell together, 16 in all) use each "
                + "operation, per search iteration.", "op counts");
    }

    private void config() {
        h.h2("config", "Configuration");
        String text = data.configText();
        if (text == null) {
            h.notAvailable("Configuration", data.configProblem());
            return;
        }
        try {
            h.pre(JSON.writeValueAsString(new ObjectMapper().readTree(text)));
        } catch (IOException e) {
            h.notAvailable("Parsed configuration", "config.json is not valid JSON (" + oneLine(e.getMessage()) + "); shown as is");
            h.pre(text);
        }
    }

    private void files() {
        h.h2("files", "Files");
        List<String[]> links = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (Map.Entry<String, String> f : RunData.INPUTS.entrySet()) {
            if (data.inputsPresent().contains(f.getKey())) links.add(new String[] {f.getKey(), f.getValue()});
            else absent.add(f.getKey());
        }
        for (String f : figures.written()) links.add(new String[] {f, "generated by this report"});
        h.links(links);
        if (!absent.isEmpty()) h.meta("Not present: " + String.join(", ", absent) + ".");
    }

    /** A chart inlined with links to its files, or why it is not there. */
    private void fig(String chart, String caption, String alt) {
        String svg = figures.svg(chart), svgFile = RunReport.svgFile(chart), pngFile = RunReport.pngFile(chart);
        if (svg != null) h.inlineFigure(svg, caption, alt, svgFile, figures.written().contains(pngFile) ? pngFile : null);
        else h.notAvailable(svgFile, figures.missing().getOrDefault(svgFile, "not generated"));
    }

    /** What the held-out tau means for this run, in one sentence. */
    private void heldout() {
        List<ObjectNode> held = data.metrics().phase("heldout");
        if (held.isEmpty()) return;
        ObjectNode r = held.getLast();
        double tau = RunMetrics.num(r, "tau"), lo = RunMetrics.num(r, "tau_low"), hi = RunMetrics.num(r, "tau_high");
        String protocol = "trained".equals(r.path("protocol").asText()) ? "each trained as a memory sample"
                : "validated at the final weights without training (an older protocol that measures another quantity)";
        h.p("Held-out check: on " + r.path("samples").asInt() + " fresh paths around the final alpha (" + protocol
                + "), the proxy ranks measured losses with Kendall tau " + fmt(tau)
                + (Double.isFinite(lo) ? " (90% interval " + fmt(lo) + " to " + fmt(hi) + ")" : "") + "; "
                + (Double.isFinite(lo) && lo > 0 ? "the proxy ranks unseen paths better than chance, so alpha's steps follow a real signal."
                : "an interval that reaches 0 means the proxy's ranking of unseen paths is not distinguishable from chance at this budget,"
                + " so alpha's steps may follow noise."));
    }

    /** ", 90% interval a..b%" where the run recorded it (runs from before it did not). */
    private static String interval(ObjectNode r) {
        if (!r.has("path_share_low")) return "";
        return String.format(Locale.ROOT, " (90%% interval %.0f..%.0f%%)", 100 * RunMetrics.num(r, "path_share_low"), 100 * RunMetrics.num(r, "path_share_high"));
    }

    /** What the label diagnostic means for this run, and its labels (path x measurement). */
    private void labelDiagnostic() {
        List<ObjectNode> diag = data.metrics().phase("label_diagnostic");
        if (diag.isEmpty()) return;
        ObjectNode r = diag.getLast();
        double share = RunMetrics.num(r, "path_share"), drift = RunMetrics.num(r, "path_share_drift_removed");
        // Runs from before the time trend was recorded lack the field.
        String trend = r.has("path_share_trend_removed")
                ? String.format(Locale.ROOT, ", %.0f%% with its time trend removed", 100 * RunMetrics.num(r, "path_share_trend_removed")) : "";
        String text = "Label diagnostic: re-measuring " + r.path("paths").asInt() + " paths " + r.path("repeats").asInt()
                + " times each at " + r.path("steps_per_sample").asInt() + " steps per sample, the path explains "
                + String.format(Locale.ROOT, "%.0f", 100 * share) + "%" + interval(r) + " of the label variance ("
                + String.format(Locale.ROOT, "%.0f", 100 * drift) + "% once the supernet's drift between rounds is removed" + trend + "); ";
        if (share < 0.5) {
            h.warning(text + "below 50% the memory's labels are mostly noise, so no regressor can rank paths well on them: raise"
                    + " --steps-per-sample or --val-fraction, or, when removing the drift raises the share, start from a longer"
                    + " warm-up (`proxynas diagnose --warmup-samples N` measures a budget and saves its supernet for --init-supernet).");
        } else {
            h.p(text + "at or above 50% a label says more about its path than about when it was measured.");
        }
        JsonNode labels = r.get("labels");
        if (labels == null || !labels.isArray()) return;
        List<String[]> rows = new ArrayList<>();
        int m = 0;
        for (int i = 0; i < labels.size(); i++) {
            JsonNode row = labels.get(i);
            m = Math.max(m, row.size());
            String[] cells = new String[row.size() + 1];
            cells[0] = "path " + (i + 1);
            for (int j = 0; j < row.size(); j++) cells[j + 1] = fmt(row.get(j).asDouble());
            rows.add(cells);
        }
        String[] header = new String[m + 1];
        header[0] = "validation loss";
        for (int j = 0; j < m; j++) header[j + 1] = "measurement " + (j + 1);
        h.table(header, rows);
    }
}
