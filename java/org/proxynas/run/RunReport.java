package org.proxynas.run;

import org.proxynas.chart.Chart;
import org.proxynas.chart.ChartStyle;
import org.proxynas.chart.HeatMap;
import org.proxynas.chart.LineChart;
import org.proxynas.chart.ScatterChart;
import org.proxynas.chart.StackedBarChart;
import org.proxynas.proxy.KendallTau;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Derivation;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeFiles;
import org.proxynas.space.GenotypeText;
import org.proxynas.space.Primitive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a run directory (docs/formats.md#run-directory): SVG charts (inlined in report.html; PNG copies
 * too where java.desktop exists), cell diagrams (DOT and SVG) and report.html tying them to the configuration, the
 * genotype and a summary. Reads whatever exists and says in the page what is missing, so
 * it works on a run that is still going or was killed; it never fails because an input is absent or damaged.
 * Every file is written atomically.
 */
public final class RunReport {
    public static final String HTML = "report.html";
    /** Chart names: each is written as NAME.svg (and NAME.png where java.desktop exists). */
    public static final String LOSS = "loss", ACCURACY = "accuracy", PROXY = "proxy", TAU = "tau", OPS = "ops";

    /** alpha_normal / alpha_reduce. */
    public static String alphaChart(CellType cell) { return "alpha_" + cell.key(); }

    /** The SVG file of a chart. */
    public static String svgFile(String chart) { return chart + ".svg"; }

    /** The PNG file of a chart. */
    public static String pngFile(String chart) { return chart + ".png"; }

    /** normal.svg / reduce.svg. */
    public static String cellSvg(CellType cell) { return cell.key() + ".svg"; }

    /** normal.dot / reduce.dot. */
    public static String cellDot(CellType cell) { return cell.key() + ".dot"; }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What was written (file names relative to the run directory, report.html last) and, for each output that was
     * not, why (in output order; a chart that could not be drawn is keyed by its SVG file).
     */
    public record Result(Path html, List<String> written, Map<String, String> missing) {
        public Result {
            written = List.copyOf(written);
            missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        }
    }

    private final Path dir;
    private final List<String> written = new ArrayList<>();
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final Map<String, String> svgs = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private RunMetrics metrics = new RunMetrics(List.of());
    private String metricsProblem;
    private int skippedLines;
    private JsonNode proxy;
    private String proxyProblem;
    private Genotype genotype;
    private String genotypeSource, genotypeProblem;

    private RunReport(Path dir) { this.dir = dir; }

    /**
     * Regenerates the report of {@code runDir}. Fails only if the directory does not exist or a file cannot be
     * written; anything missing or unreadable inside it becomes a note in the page.
     */
    public static Result generate(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("run directory " + runDir + (Files.exists(runDir) ? " is not a directory" : " does not exist"));
        }
        RunReport r = new RunReport(runDir);
        r.load();
        r.writeFigures();
        r.writeCells();
        AtomicFiles.writeString(runDir.resolve(HTML), r.html());
        r.written.add(HTML);
        return new Result(runDir.resolve(HTML), r.written, r.missing);
    }

    // ------------------------------------------------------------------ loading

    private void load() {
        Path m = dir.resolve("metrics.jsonl");
        if (Files.isRegularFile(m)) {
            try {
                MetricsReader.Records recs = MetricsReader.read(m);
                metrics = new RunMetrics(recs.records());
                skippedLines = recs.skippedLines().size();
                if (skippedLines > 0) {
                    warnings.add("metrics.jsonl: skipped " + skippedLines + " unreadable line(s) " + abbreviate(recs.skippedLines())
                            + " (a torn last line is normal for a run that is still writing or was killed)");
                }
                if (metrics.isEmpty()) metricsProblem = "metrics.jsonl has no records yet";
            } catch (UncheckedIOException e) {
                metricsProblem = "metrics.jsonl could not be read: " + e.getMessage();
            }
        } else {
            metricsProblem = "there is no metrics.jsonl in the run directory";
        }
        Path p = dir.resolve("proxy.json");
        if (Files.isRegularFile(p)) {
            try {
                proxy = new ObjectMapper().readTree(Files.readString(p, StandardCharsets.UTF_8));
                if (proxy == null || !proxy.isObject()) { proxyProblem = "proxy.json is not a JSON object"; proxy = null; }
            } catch (IOException e) {
                proxyProblem = "proxy.json could not be read: " + oneLine(e.getMessage());
            }
        } else {
            proxyProblem = "there is no proxy.json (written when the search finishes)";
        }
        loadGenotype();
    }

    private void loadGenotype() {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("genotype.json", "genotype.txt")) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) continue;
            try {
                genotype = GenotypeFiles.load(f);
                genotypeSource = name;
                return;
            } catch (RuntimeException e) {
                problems.add(oneLine(e.getMessage()));
            }
        }
        for (String[] src : new String[][] {{"final", "the final record of metrics.jsonl"}, {"search", "the last search record of metrics.jsonl"}}) {
            List<ObjectNode> rs = src[0].equals("search") ? metrics.iterations() : metrics.phase(src[0]);
            for (int i = rs.size() - 1; i >= 0; i--) {
                JsonNode g = rs.get(i).get("genotype");
                if (g == null || !g.isTextual()) continue;
                try {
                    genotype = GenotypeText.parse(g.asText(), "metrics.jsonl " + src[0] + " genotype");
                    genotypeSource = src[1];
                    return;
                } catch (RuntimeException e) {
                    problems.add(oneLine(e.getMessage()));
                    break;
                }
            }
        }
        genotypeProblem = problems.isEmpty() ? "no genotype.json, genotype.txt or genotype in metrics.jsonl yet"
                : String.join("; ", problems);
    }

    // ------------------------------------------------------------------ figures

    /** A chart to draw, or why there is none. */
    private record Drawn(Chart chart, String why) {
        static Drawn of(Chart c) { return new Drawn(c, null); }

        static Drawn none(String why) { return new Drawn(null, why); }
    }

    /** Draws one chart as SVG (kept for the page) and PNG where possible; a failure becomes a reason in the page. */
    private void figure(String name, java.util.function.Supplier<Drawn> d) {
        try {
            Drawn r = d.get();
            if (r.chart() == null) {
                missing.put(svgFile(name), r.why());
                return;
            }
            String svg = r.chart().svg(name);
            AtomicFiles.writeString(dir.resolve(svgFile(name)), svg);
            written.add(svgFile(name));
            svgs.put(name, svg);
            // PNG is a convenience copy: the GPU bundle's runtime has no java.desktop, and the SVG is the chart.
            if (Chart.pngAvailable()) {
                AtomicFiles.write(dir.resolve(pngFile(name)), r.chart().png(Chart.WIDTH, Chart.HEIGHT));
                written.add(pngFile(name));
            }
        } catch (RuntimeException e) {
            missing.put(svgFile(name), "could not be drawn: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private void writeFigures() {
        figure(LOSS, this::lossChart);
        figure(ACCURACY, this::accuracyChart);
        figure(PROXY, this::proxyChart);
        figure(TAU, this::tauChart);
        for (CellType c : CellType.values()) figure(alphaChart(c), () -> alphaHeatMap(c));
        figure(OPS, this::opsChart);
    }

    private Drawn lossChart() {
        if (metricsProblem != null) return Drawn.none(metricsProblem);
        List<RunMetrics.Point> pts = metrics.trainingPoints();
        double[] x = new double[pts.size()], train = new double[pts.size()], val = new double[pts.size()], pred = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i).x();
            train[i] = RunMetrics.num(pts.get(i).record(), "train_loss");
            val[i] = RunMetrics.num(pts.get(i).record(), "val_loss");
            pred[i] = RunMetrics.num(pts.get(i).record(), "predicted");
        }
        if (!anyFinite(train) && !anyFinite(val)) return Drawn.none("no record in metrics.jsonl has train_loss or val_loss");
        LineChart ch = new LineChart("Supernet loss", "samples trained (one path per sample, all phases)", "cross-entropy loss")
                .series("train loss", x, train)
                .series("validation loss", x, val);
        if (anyFinite(pred)) {
            ch.series("proxy prediction (before refit)", x, pred, ChartStyle.palette(2), LineChart.Style.POINTS);
        }
        markPhases(ch);
        return Drawn.of(ch);
    }

    private Drawn accuracyChart() {
        if (metricsProblem != null) return Drawn.none(metricsProblem);
        List<RunMetrics.Point> pts = metrics.trainingPoints();
        double[] x = new double[pts.size()], train = new double[pts.size()], val = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i).x();
            train[i] = RunMetrics.num(pts.get(i).record(), "train_acc");
            val[i] = RunMetrics.num(pts.get(i).record(), "val_acc");
        }
        if (!anyFinite(train) && !anyFinite(val)) return Drawn.none("no record in metrics.jsonl has train_acc or val_acc");
        LineChart ch = new LineChart("Supernet accuracy", "samples trained (one path per sample, all phases)", "accuracy")
                .series("train accuracy", x, train)
                .series("validation accuracy", x, val);
        markPhases(ch);
        return Drawn.of(ch);
    }

    private void markPhases(LineChart ch) {
        List<RunMetrics.Boundary> bs = metrics.trainingBoundaries();
        if (bs.size() < 2) return;
        for (RunMetrics.Boundary b : bs) ch.marker(b.x(), b.phase());
    }

    private Drawn proxyChart() {
        record Set(String name, double[][] xy) {}
        List<Set> sets = new ArrayList<>();
        List<String> taus = new ArrayList<>();
        double[][] mem = proxy == null ? null : pair(proxy, "measured", "predicted");
        double[][] held = proxy == null ? null : pair(proxy, "heldout_measured", "heldout_predicted");
        List<ObjectNode> its = metrics.iterations();
        double[][] search = pair(RunMetrics.column(its, "val_loss"), RunMetrics.column(its, "predicted"));
        if (mem != null) {
            double tau = KendallTau.tauBFinite(mem[0], mem[1]);
            sets.add(new Set("memory, final regressor (n=" + count(mem) + ", τ=" + fmt(tau) + ")", mem));
            taus.add("memory τ = " + fmt(tau));
        }
        if (held != null) {
            double tau = KendallTau.tauBFinite(held[0], held[1]);
            sets.add(new Set("held out (n=" + count(held) + ", τ=" + fmt(tau) + ")", held));
            taus.add("held-out τ = " + fmt(tau));
        }
        if (search != null) {
            double tau = KendallTau.tauBFinite(search[0], search[1]);
            sets.add(new Set("search samples, before refit (n=" + count(search) + ", τ=" + fmt(tau) + ")", search));
            if (mem == null) taus.add("search τ = " + fmt(tau));
        }
        if (sets.isEmpty()) {
            return Drawn.none((proxyProblem != null ? proxyProblem : "proxy.json has no measured/predicted arrays")
                    + ", and no search record has a prediction");
        }
        String title = "Proxy: predicted vs measured validation loss" + (taus.isEmpty() ? "" : " (" + String.join(", ", taus) + ")");
        ScatterChart ch = new ScatterChart(title, "measured validation loss", "predicted validation loss");
        for (Set st : sets) ch.series(st.name(), st.xy()[0], st.xy()[1]);
        return Drawn.of(ch);
    }

    private Drawn tauChart() {
        if (metricsProblem != null) return Drawn.none(metricsProblem);
        List<ObjectNode> its = metrics.iterations();
        double[] tau = RunMetrics.column(its, "tau");
        if (anyFinite(tau)) {
            double[] x = indices(its);
            return Drawn.of(new LineChart("Kendall τ of the proxy on the memory, per search iteration", indexLabel(its), "Kendall τ")
                    .series("τ after refitting", x, tau, ChartStyle.palette(0), LineChart.Style.LINE_AND_POINTS));
        }
        List<ObjectNode> warm = metrics.phase("regressor_warmup");
        double[] wt = RunMetrics.column(warm, "tau");
        if (anyFinite(wt)) {
            return Drawn.of(new LineChart("Kendall τ of the proxy during regressor warm-up", "regressor epoch", "Kendall τ")
                    .series("τ on the memory", indices(warm), wt));
        }
        return Drawn.none("no search or regressor warm-up record has tau"
                + (metrics.phase("search").isEmpty() ? " (the search has not started)" : " (method without a proxy?)"));
    }

    private Drawn alphaHeatMap(CellType cell) {
        if (metricsProblem != null) return Drawn.none(metricsProblem);
        String field = "alpha_" + cell.key();
        ObjectNode rec = metrics.lastWith(field);
        double[][] a = RunMetrics.matrix(rec, field);
        if (a == null) return Drawn.none("no record in metrics.jsonl has " + field);
        String[] rows = new String[a.length];
        for (int e = 0; e < a.length; e++) rows[e] = a.length == CellTopology.EDGES ? edgeLabel(e) : "e" + e;
        String[] cols = new String[a.length > 0 ? a[0].length : 0];
        for (int k = 0; k < cols.length; k++) cols[k] = cols.length == Primitive.COUNT ? Primitive.fromIndex(k).shortName() : "op" + k;
        String where = rec.has("phase") ? RunMetrics.phaseOf(rec) : "";
        String idx = RunMetrics.indexField(rec);
        if (idx != null) where += " " + idx + " " + fmtIndex(RunMetrics.index(rec));
        HeatMap hm = new HeatMap("α, " + cell.key() + " cell (" + where.strip() + ")", a, rows, cols)
                .axisNames("edge", "operation");
        boolean[][] keep = derivedCells(a, cell);
        if (keep != null) hm.highlight(keep, "derived genotype");
        return Drawn.of(hm);
    }

    /** The cells (edge, op) the standard derivation keeps, or null if α is not 14x8 or holds NaN. */
    static boolean[][] derivedCells(double[][] a, CellType cell) {
        if (a.length != ArchParams.ROWS) return null;
        float[][] f = new float[ArchParams.ROWS][ArchParams.COLS];
        for (int e = 0; e < a.length; e++) {
            if (a[e].length != ArchParams.COLS) return null;
            for (int k = 0; k < ArchParams.COLS; k++) {
                if (!Double.isFinite(a[e][k])) return null;
                f[e][k] = (float) a[e][k];
            }
        }
        ArchParams p = ArchParams.zeros();
        p.setMatrix(cell, f);
        List<Gene> genes = Derivation.deriveCell(p, cell);
        boolean[][] keep = new boolean[ArchParams.ROWS][ArchParams.COLS];
        for (int slot = 0; slot < genes.size(); slot++) {
            Gene g = genes.get(slot);
            keep[CellTopology.edgeIndex(Genotype.nodeOfSlot(slot), g.input())][g.op().index()] = true;
        }
        return keep;
    }

    /** "n0<-s0", "n1<-n0", ...: the node an edge feeds and the state it reads (docs/method.md#search-space order). */
    public static String edgeLabel(int e) {
        CellTopology.Edge edge = CellTopology.edge(e);
        int in = edge.input();
        return "n" + edge.node() + "<-" + (in < CellTopology.INPUTS ? "s" + in : "n" + (in - CellTopology.INPUTS));
    }

    private Drawn opsChart() {
        if (metricsProblem != null) return Drawn.none(metricsProblem);
        List<ObjectNode> its = metrics.iterations();
        String[] names = new String[Primitive.COUNT];
        for (Primitive p : Primitive.values()) names[p.index()] = p.dartsName();
        StackedBarChart ch = new StackedBarChart("Operations in the derived genotype (both cells) per search iteration",
                indexLabel(its), "count of edges", names, OpColours.all());
        int bars = 0;
        for (ObjectNode r : its) {
            double[] counts = RunMetrics.vector(r, "genotype_ops");
            if (counts == null && r.path("genotype").isTextual()) {
                try {
                    counts = opCounts(GenotypeText.parse(r.get("genotype").asText()));
                } catch (RuntimeException e) {
                    counts = null;
                }
            }
            if (counts == null || Double.isNaN(RunMetrics.index(r))) continue;
            ch.bar(RunMetrics.index(r), counts);
            bars++;
        }
        if (bars == 0) return Drawn.none("no search record has genotype_ops or a genotype");
        return Drawn.of(ch);
    }

    /** How many genes of each primitive the genotype has, both cells together. */
    static double[] opCounts(Genotype g) {
        double[] c = new double[Primitive.COUNT];
        for (CellType cell : CellType.values()) for (Gene gene : g.genes(cell)) c[gene.op().index()]++;
        return c;
    }

    private void writeCells() {
        for (CellType cell : CellType.values()) {
            for (String file : List.of(cellSvg(cell), cellDot(cell))) {
                if (genotype == null) {
                    missing.put(file, genotypeProblem);
                    continue;
                }
                String text = file.endsWith(".svg") ? CellDiagram.svg(genotype, cell) : CellDiagram.dot(genotype, cell);
                AtomicFiles.writeString(dir.resolve(file), text);
                written.add(file);
            }
        }
    }

    // ------------------------------------------------------------------ page

    private String html() {
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        ReportHtml h = new ReportHtml("ProxyNAS run " + name);
        h.h1("ProxyNAS run " + name);
        h.meta("Directory " + dir.toAbsolutePath().normalize() + " · report generated "
                + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")));
        h.nav(List.of(new String[] {"summary", "Summary"}, new String[] {"genotype", "Genotype"},
                new String[] {"training", "Supernet training"}, new String[] {"proxy", "Proxy"},
                new String[] {"alpha", "Architecture parameters"}, new String[] {"config", "Configuration"},
                new String[] {"files", "Files"}));
        for (String w : warnings) h.warning(w);
        if (!Chart.pngAvailable()) {
            h.meta("Charts are SVG only: this Java runtime has no java.desktop module (the GPU bundle's), which the "
                    + "PNG copies need; `proxynas report DIR` with a full JDK adds them.");
        }

        h.h2("summary", "Summary");
        if (metricsProblem != null) {
            h.notAvailable("Summary", metricsProblem);
        } else {
            h.table(null, summaryRows());
            h.h3("Phases");
            h.table(new String[] {"phase", "records", "range", "ended at", "wall time"}, phaseRows());
        }

        h.h2("genotype", "Genotype");
        if (genotype == null) {
            h.notAvailable("Genotype", genotypeProblem);
        } else {
            h.meta("From " + genotypeSource + ".");
            h.pre(genotype.toDartsText());
        }
        for (CellType cell : CellType.values()) {
            h.h3(cap(cell.key()) + " cell");
            String svg = cellSvg(cell);
            if (written.contains(svg)) {
                h.figure(svg, cap(cell.key()) + " cell: inputs c_{k-2}, c_{k-1}, nodes 0-3, output c_{k} (concat)",
                        cell.key() + " cell diagram");
                h.links(List.<String[]>of(new String[] {cellDot(cell), "Graphviz source (dot -Tpdf " + cellDot(cell) + ")"}));
            } else {
                h.notAvailable("Cell diagram", missing.get(svg));
            }
        }

        h.h2("training", "Supernet training");
        fig(h, LOSS, "Training and validation loss of the sampled path for every trained sample: warm-up, memory and "
                + "search phases on one axis (dashed lines mark where a phase starts).", "loss");
        fig(h, ACCURACY, "Training and validation accuracy of the sampled path, same axis.", "accuracy");

        h.h2("proxy", "Proxy");
        fig(h, PROXY, "Predicted against measured validation loss; points on the dashed diagonal are predicted exactly.", "proxy");
        fig(h, TAU, "Kendall rank correlation between the proxy's predictions and the measured losses in the memory, "
                + "after the regressor was refitted in each iteration.", "Kendall tau");
        proxyReading(h);

        h.h2("alpha", "Architecture parameters");
        for (CellType cell : CellType.values()) {
            fig(h, alphaChart(cell), "Final α of the " + cell.key() + " cell (raw values; rows are edges 'node<-input', "
                    + "columns operations); outlined cells are the edges and operations the derived genotype keeps.",
                    "alpha " + cell.key());
        }
        fig(h, OPS, "How many edges of the derived genotype (normal and reduction cell together, 16 in all) use each "
                + "operation, per search iteration.", "op counts");

        h.h2("config", "Configuration");
        Path cfg = dir.resolve("config.json");
        if (Files.isRegularFile(cfg)) {
            try {
                String text = Files.readString(cfg, StandardCharsets.UTF_8);
                try {
                    h.pre(JSON.writeValueAsString(new ObjectMapper().readTree(text)));
                } catch (IOException e) {
                    h.notAvailable("Parsed configuration", "config.json is not valid JSON (" + oneLine(e.getMessage())
                            + "); shown as is");
                    h.pre(text);
                }
            } catch (IOException e) {
                h.notAvailable("Configuration", "config.json could not be read: " + oneLine(e.getMessage()));
            }
        } else {
            h.notAvailable("Configuration", "there is no config.json in the run directory");
        }

        h.h2("files", "Files");
        List<String[]> links = new ArrayList<>();
        String[][] inputs = {
            {"config.json", "resolved configuration"}, {"log.txt", "log"}, {"metrics.jsonl", "one JSON record per step"},
            {"genotype.json", "genotype (JSON)"}, {"genotype.txt", "genotype (DARTS text)"},
            {"proxy.json", "memory labels and final predictions"}};
        for (String[] f : inputs) if (Files.isRegularFile(dir.resolve(f[0]))) links.add(f);
        for (String f : written) links.add(new String[] {f, "generated by this report"});
        h.links(links);
        List<String> absent = new ArrayList<>();
        for (String[] f : inputs) if (!Files.isRegularFile(dir.resolve(f[0]))) absent.add(f[0]);
        if (!absent.isEmpty()) h.meta("Not present: " + String.join(", ", absent) + ".");
        return h.finish();
    }

    private void fig(ReportHtml h, String chart, String caption, String alt) {
        String svg = svgs.get(chart);
        if (svg != null) h.inlineFigure(svg, caption, alt, svgFile(chart), written.contains(pngFile(chart)) ? pngFile(chart) : null);
        else h.notAvailable(svgFile(chart), missing.getOrDefault(svgFile(chart), "not generated"));
    }

    private List<String[]> summaryRows() {
        List<String[]> rows = new ArrayList<>();
        JsonNode cfgMethod = configField("method");
        if (cfgMethod != null) rows.add(new String[] {"method", cfgMethod.asText()});
        rows.add(new String[] {"records", metrics.phases().stream().mapToInt(p -> metrics.phase(p).size()).sum()
                + (skippedLines > 0 ? " (" + skippedLines + " unreadable line(s) skipped)" : "")});
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
            rows.add(new String[] {"best Kendall τ", fmt(bestTau) + at(tauRec)});
            rows.add(new String[] {"final Kendall τ", fmt(lastTau)});
        }
        List<ObjectNode> warm = metrics.phase("regressor_warmup");
        if (!warm.isEmpty()) {
            ObjectNode last = warm.getLast();
            rows.add(new String[] {"regressor warm-up", warm.size() + " epochs, final loss " + fmt(RunMetrics.num(last, "loss"))
                    + ", τ " + fmt(RunMetrics.num(last, "tau"))});
        }
        if (proxy != null) {
            double[][] mem = pair(proxy, "measured", "predicted");
            if (mem != null) rows.add(new String[] {"proxy τ on the memory (final)", fmt(KendallTau.tauBFinite(mem[0], mem[1]))
                    + " (n=" + count(mem) + ")"});
            double[][] held = pair(proxy, "heldout_measured", "heldout_predicted");
            if (held != null) rows.add(new String[] {"proxy τ held out", fmt(KendallTau.tauBFinite(held[0], held[1]))
                    + " (n=" + count(held) + ")"});
        }
        rows.add(new String[] {"finished", metrics.phase("final").isEmpty() ? "no (no final record yet)" : "yes"});
        return rows;
    }

    /**
     * What the held-out tau and the label diagnostic mean for this run, in one sentence each, and the diagnostic's
     * labels (path x measurement).
     */
    private void proxyReading(ReportHtml h) {
        List<ObjectNode> held = metrics.phase("heldout");
        if (!held.isEmpty()) {
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
        List<ObjectNode> diag = metrics.phase("label_diagnostic");
        if (!diag.isEmpty()) {
            ObjectNode r = diag.getLast();
            double share = RunMetrics.num(r, "path_share"), drift = RunMetrics.num(r, "path_share_drift_removed");
            String text = "Label diagnostic: re-measuring " + r.path("paths").asInt() + " paths " + r.path("repeats").asInt()
                    + " times each at " + r.path("steps_per_sample").asInt() + " steps per sample, the path explains "
                    + String.format(Locale.ROOT, "%.0f", 100 * share) + "% of the label variance (" + String.format(Locale.ROOT, "%.0f", 100 * drift) + "% once the supernet's drift is removed); ";
            if (share < 0.5) {
                h.warning(text + "below 50% the memory's labels are mostly noise, so no regressor can rank paths well on them: raise"
                        + " --steps-per-sample or --val-fraction (`proxynas diagnose` measures a budget before a search).");
            } else {
                h.p(text + "at or above 50% a label says more about its path than about when it was measured.");
            }
            JsonNode labels = r.get("labels");
            if (labels != null && labels.isArray()) {
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
    }

    private List<String[]> phaseRows() {
        List<String[]> rows = new ArrayList<>();
        for (RunMetrics.PhaseSummary s : metrics.phaseSummaries()) {
            String range = s.indexField() == null ? "" : s.indexField() + " " + fmtIndex(s.firstIndex())
                    + (s.lastIndex() != s.firstIndex() ? "–" + fmtIndex(s.lastIndex()) : "");
            rows.add(new String[] {s.phase(), Integer.toString(s.records()), range, seconds(s.endElapsed()),
                    seconds(s.duration()) + (s.includes().isEmpty() ? "" : " (including " + String.join(", ", s.includes()) + ")")});
        }
        return rows;
    }

    private JsonNode configField(String name) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) return null;
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(cfg, StandardCharsets.UTF_8));
            JsonNode v = n == null ? null : n.get(name);
            return v != null && v.isValueNode() ? v : null;
        } catch (IOException e) {
            return null;
        }
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

    private static String at(JsonNode r) {
        String f = RunMetrics.indexField(r);
        return f == null ? "" : " (" + f + " " + fmtIndex(RunMetrics.index(r)) + ")";
    }

    // ------------------------------------------------------------------ helpers

    private static double[][] pair(JsonNode node, String xField, String yField) {
        return pair(RunMetrics.vector(node, xField), RunMetrics.vector(node, yField));
    }

    /** Both arrays cut to the shorter length, or null if absent or without one finite pair. */
    private static double[][] pair(double[] x, double[] y) {
        if (x == null || y == null) return null;
        int n = Math.min(x.length, y.length);
        if (n == 0) return null;
        double[][] out = {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
        return anyFinitePair(out[0], out[1]) ? out : null;
    }

    private static int count(double[][] xy) {
        int n = 0;
        for (int i = 0; i < xy[0].length; i++) if (Double.isFinite(xy[0][i]) && Double.isFinite(xy[1][i])) n++;
        return n;
    }

    private static boolean anyFinite(double[] v) {
        for (double d : v) if (Double.isFinite(d)) return true;
        return false;
    }

    private static boolean anyFinitePair(double[] a, double[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (Double.isFinite(a[i]) && Double.isFinite(b[i])) return true;
        return false;
    }

    private static double[] indices(List<ObjectNode> rs) {
        double[] x = new double[rs.size()];
        for (int i = 0; i < x.length; i++) {
            double v = RunMetrics.index(rs.get(i));
            x[i] = Double.isNaN(v) ? i + 1 : v;
        }
        return x;
    }

    private static String indexLabel(List<ObjectNode> rs) {
        String f = rs.isEmpty() ? null : RunMetrics.indexField(rs.getFirst());
        return f == null ? "search iteration" : f.equals("iter") ? "search iteration" : f;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmtIndex(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : fmt(v);
    }

    private static String seconds(double s) {
        if (Double.isNaN(s)) return "n/a";
        return ProgressBar.formatSeconds(s) + (s >= 60 ? String.format(Locale.ROOT, " (%.0f s)", s) : "");
    }

    private static String cap(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    private static String oneLine(String s) { return s == null ? "" : s.replaceAll("\\s+", " ").strip(); }

    private static String abbreviate(List<Integer> lines) {
        if (lines.size() <= 5) return "(line " + lines.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        return "(lines " + lines.get(0) + ", " + lines.get(1) + ", ... " + lines.getLast() + ")";
    }
}
