package org.proxynas.nasbench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.proxynas.chart.Chart;
import org.proxynas.chart.Colour;
import org.proxynas.chart.LineChart;
import org.proxynas.run.AtomicFiles;

/**
 * report.html of a benchmark run: the anytime curves (mean best-found accuracy against queries with its 95%
 * confidence band, per method), the table at 50/100/200/300 queries with the tests against random search, PVLL's
 * held-out Kendall tau over the run, and where the time went.
 */
final class BenchmarkReport {
    private static final Colour[] COLOURS = {Colour.of(0x555555), Colour.of(0x1F77B4), Colour.of(0x2CA02C), Colour.of(0xD62728),
        Colour.of(0xFF7F0E), Colour.of(0x9467BD), Colour.of(0x8C564B), Colour.of(0xE377C2)};

    private BenchmarkReport() {}

    static void write(Path dir, BenchmarkConfig cfg, Summary s, Map<String, Map<String, Double>> timing) {
        Charts charts = charts(dir, cfg, s);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>NAS benchmark on ").append(esc(cfg.oracle()))
                .append("</title>\n<style>body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}"
                        + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 10px}th{background:#f4f4f4}"
                        + "td.num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:8px 0}svg{max-width:100%;height:auto;border:1px solid #eee}"
                        + "pre{background:#f7f7f7;padding:10px;overflow-x:auto}</style>\n</head>\n<body>\n");
        b.append("<h1>Search methods on the ").append(esc(cfg.oracle())).append(" oracle</h1>\n<p>")
                .append(cfg.seeds().size()).append(" seeds per method, ").append(cfg.queries())
                .append(" queries each (a query is one unique genotype's predicted validation accuracy; repeats are free). "
                        + "Best-found accuracy is the maximum over the queries so far.</p>\n");
        b.append("<h2>Anytime curves</h2>\n");
        b.append("<figure>").append(charts.anytime()).append("</figure>\n");
        b.append("<p>Lines: mean over seeds; bands: 95% confidence interval of the mean (Student t).</p>\n");
        b.append("<h2>Best-found accuracy</h2>\n<table><tr><th>method</th>");
        for (int q : s.checkpoints()) b.append("<th>").append(q).append(" queries</th>");
        b.append("</tr>\n");
        for (var e : s.methods().entrySet()) {
            b.append("<tr><td>").append(esc(e.getKey().id())).append("</td>");
            for (Summary.Point p : e.getValue().points()) {
                b.append("<td class=\"num\">").append(pct(p.mean())).append(" &plusmn; ").append(pct(p.ci95()));
                if (Double.isFinite(p.welchP())) {
                    b.append("<br><small>").append(String.format(Locale.ROOT, "%+.3f pt; Welch p %s, paired p %s",
                            100 * p.meanDiffVsRandom(), pval(p.welchP()), pval(p.pairedP()))).append("</small>");
                }
                b.append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p>Mean &plusmn; 95% CI half-width in percent; below: the difference to random search in percentage points and "
                + "two-sided p-values (Welch's t-test; paired t-test over the shared seeds).</p>\n");
        boolean anyTau = s.methods().values().stream().anyMatch(m -> !m.tau().isEmpty());
        if (anyTau) {
            b.append("<h2>PVLL: the regressor on held-out samples</h2>\n<p>Kendall tau-b between the regressor's prediction for each "
                    + "sample, made before its label was known, and that label, over windows of ").append(Summary.TAU_WINDOW)
                    .append(" queries; mean and 95% CI over seeds.</p>\n");
            if (charts.tau() != null) b.append("<figure>").append(charts.tau()).append("</figure>\n");
            b.append("<table><tr><th>method</th><th>queries</th><th>tau</th><th>seeds</th></tr>\n");
            for (var e : s.methods().entrySet()) {
                for (Summary.TauWindow w : e.getValue().tau()) {
                    b.append("<tr><td>").append(esc(e.getKey().id())).append("</td><td class=\"num\">").append(w.queries() - Summary.TAU_WINDOW + 1)
                            .append("&ndash;").append(w.queries()).append("</td><td class=\"num\">")
                            .append(String.format(Locale.ROOT, "%.3f &plusmn; %.3f", w.mean(), w.ci95())).append("</td><td class=\"num\">")
                            .append(w.n()).append("</td></tr>\n");
                }
            }
            b.append("</table>\n");
        }
        b.append("<h2>Time</h2>\n<table><tr><th>method</th><th>units</th><th>s per unit</th><th>regressor fits, s per unit</th></tr>\n");
        for (var e : timing.entrySet()) {
            b.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"num\">").append(Math.round(e.getValue().get("units")))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", e.getValue().get("seconds_per_unit")))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", e.getValue().get("fit_seconds_per_unit")))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<p>Wall-clock seconds of the units run in this directory (a resumed run counts each unit once, as measured when it ran).</p>\n");
        b.append("<h2>Settings</h2>\n<pre>").append(esc(org.proxynas.run.JsonFiles.mapper().valueToTree(cfg.pvll()).toPrettyString()))
                .append("</pre>\n<p>Files: <code>results.jsonl</code> (one line per method, seed and query), <code>summary.json</code>, "
                        + "<code>units/</code>, <code>timing.json</code>, <code>config.json</code>.</p>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("report.html"), b.toString());
    }

    /** The two charts as inline SVG (tau null when no PVLL method ran). */
    private record Charts(String anytime, String tau) {}

    /** anytime.svg and kendall-tau.svg, with PNG copies where the runtime has java.desktop. */
    private static Charts charts(Path dir, BenchmarkConfig cfg, Summary s) {
        LineChart any = new LineChart("Best-found accuracy (" + cfg.oracle() + ")", "queries", "best accuracy (%)");
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int i = 0;
        int first = Math.min(cfg.queries(), 10);
        for (var e : s.methods().entrySet()) {
            Colour c = COLOURS[i++ % COLOURS.length];
            double[] mean = e.getValue().curveMean(), ci = e.getValue().curveCi95();
            int n = mean.length - first + 1;
            double[] x = new double[n], y = new double[n], l = new double[n], h = new double[n];
            for (int q = 0; q < n; q++) {
                x[q] = q + first;
                y[q] = 100 * mean[q + first - 1];
                double w = Double.isFinite(ci[q + first - 1]) ? 100 * ci[q + first - 1] : 0;
                l[q] = y[q] - w;
                h[q] = y[q] + w;
                lo = Math.min(lo, l[q]);
                hi = Math.max(hi, h[q]);
            }
            any.band(x, l, h, c).series(e.getKey().id(), x, y, c, LineChart.Style.LINE);
        }
        if (hi > lo) any.yRange(lo, hi);
        String anytime = save(dir, "anytime", any);
        LineChart tau = new LineChart("PVLL regressor: Kendall tau on the next samples", "queries", "Kendall tau-b").yRange(-1, 1);
        i = 0;
        for (var e : s.methods().entrySet()) {
            Colour c = COLOURS[i++ % COLOURS.length];
            List<Summary.TauWindow> w = e.getValue().tau();
            if (w.isEmpty()) continue;
            double[] x = new double[w.size()], y = new double[w.size()], l = new double[w.size()], h = new double[w.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = w.get(k).queries();
                y[k] = w.get(k).mean();
                double ci = Double.isFinite(w.get(k).ci95()) ? w.get(k).ci95() : 0;
                l[k] = y[k] - ci;
                h[k] = y[k] + ci;
            }
            tau.band(x, l, h, c).series(e.getKey().id(), x, y, c, LineChart.Style.LINE_AND_POINTS);
        }
        return new Charts(anytime, tau.hasData() ? save(dir, "kendall-tau", tau) : null);
    }

    private static String save(Path dir, String name, Chart chart) {
        String svg = chart.svg(name);
        AtomicFiles.writeString(dir.resolve(name + ".svg"), svg);
        if (Chart.pngAvailable()) AtomicFiles.write(dir.resolve(name + ".png"), chart.png(Chart.WIDTH, Chart.HEIGHT));
        return svg;
    }

    private static String pct(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "n/a"; }

    private static String pval(double p) {
        if (!Double.isFinite(p)) return "n/a";
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
