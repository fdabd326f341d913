package org.proxynas.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.chart.Chart;
import org.proxynas.chart.ChartStyle;
import org.proxynas.chart.HeatMap;
import org.proxynas.chart.LineChart;
import org.proxynas.chart.ScatterChart;
import org.proxynas.chart.StackedBarChart;
import org.proxynas.proxy.KendallTau;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Derivation;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeText;
import org.proxynas.space.Primitive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.proxynas.report.ReportFormat.fmt;
import static org.proxynas.report.ReportFormat.fmtIndex;

/** The report's charts, built from a run's data (nothing is written here): each is a chart, or why there is none. */
final class RunCharts {
    /** A chart to draw, or why there is none. */
    record Drawn(Chart chart, String why) {
        static Drawn of(Chart c) { return new Drawn(c, null); }

        static Drawn none(String why) { return new Drawn(null, why); }
    }

    private final RunData data;
    private final RunMetrics metrics;

    RunCharts(RunData data) {
        this.data = data;
        this.metrics = data.metrics();
    }

    /** Every chart by name, in the order they are drawn; each is built when its supplier is called. */
    Map<String, Supplier<Drawn>> all() {
        Map<String, Supplier<Drawn>> m = new LinkedHashMap<>();
        m.put(RunReport.LOSS, this::loss);
        m.put(RunReport.ACCURACY, this::accuracy);
        m.put(RunReport.PROXY, this::proxy);
        m.put(RunReport.TAU, this::tau);
        for (CellType c : CellType.values()) m.put(RunReport.alphaChart(c), () -> alpha(c));
        m.put(RunReport.OPS, this::ops);
        return m;
    }

    Drawn loss() {
        if (data.metricsProblem() != null) return Drawn.none(data.metricsProblem());
        List<RunMetrics.Point> pts = metrics.trainingPoints();
        List<ObjectNode> recs = records(pts);
        double[] x = xs(pts), train = RunMetrics.column(recs, "train_loss"), val = RunMetrics.column(recs, "val_loss"),
                pred = RunMetrics.column(recs, "predicted");
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

    Drawn accuracy() {
        if (data.metricsProblem() != null) return Drawn.none(data.metricsProblem());
        List<RunMetrics.Point> pts = metrics.trainingPoints();
        List<ObjectNode> recs = records(pts);
        double[] x = xs(pts), train = RunMetrics.column(recs, "train_acc"), val = RunMetrics.column(recs, "val_acc");
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

    Drawn proxy() {
        record Set(String name, double[][] xy) {}
        List<Set> sets = new ArrayList<>();
        List<String> taus = new ArrayList<>();
        double[][] mem = data.proxyPair("measured", "predicted");
        double[][] held = data.proxyPair("heldout_measured", "heldout_predicted");
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
            return Drawn.none((data.proxyProblem() != null ? data.proxyProblem() : "proxy.json has no measured/predicted arrays")
                    + ", and no search record has a prediction");
        }
        String title = "Proxy: predicted vs measured validation loss" + (taus.isEmpty() ? "" : " (" + String.join(", ", taus) + ")");
        ScatterChart ch = new ScatterChart(title, "measured validation loss", "predicted validation loss");
        for (Set st : sets) ch.series(st.name(), st.xy()[0], st.xy()[1]);
        return Drawn.of(ch);
    }

    Drawn tau() {
        if (data.metricsProblem() != null) return Drawn.none(data.metricsProblem());
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

    Drawn alpha(CellType cell) {
        if (data.metricsProblem() != null) return Drawn.none(data.metricsProblem());
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
    static String edgeLabel(int e) {
        CellTopology.Edge edge = CellTopology.edge(e);
        int in = edge.input();
        return "n" + edge.node() + "<-" + (in < CellTopology.INPUTS ? "s" + in : "n" + (in - CellTopology.INPUTS));
    }

    Drawn ops() {
        if (data.metricsProblem() != null) return Drawn.none(data.metricsProblem());
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

    /** Both arrays cut to the shorter length, or null if absent or without one finite pair. */
    static double[][] pair(double[] x, double[] y) {
        if (x == null || y == null) return null;
        int n = Math.min(x.length, y.length);
        if (n == 0) return null;
        double[][] out = {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
        return anyFinitePair(out[0], out[1]) ? out : null;
    }

    /** The pairs where both values are finite. */
    static int count(double[][] xy) {
        int n = 0;
        for (int i = 0; i < xy[0].length; i++) if (Double.isFinite(xy[0][i]) && Double.isFinite(xy[1][i])) n++;
        return n;
    }

    private static List<ObjectNode> records(List<RunMetrics.Point> pts) { return pts.stream().map(RunMetrics.Point::record).toList(); }

    private static double[] xs(List<RunMetrics.Point> pts) { return pts.stream().mapToDouble(RunMetrics.Point::x).toArray(); }

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
}
