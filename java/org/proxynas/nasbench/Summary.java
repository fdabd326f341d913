package org.proxynas.nasbench;

import org.proxynas.stats.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.proxy.KendallTau;

/**
 * What the comparison found, computed from the unit files only: per method, the best-found accuracy after 50, 100,
 * 200, 300 queries and after the full budget (mean, sd, 95% CI of the mean, and against random search Welch's test
 * and the paired test over shared seeds), the anytime curve (mean and 95% CI after every query), and for PVLL the
 * regressor's Kendall tau-b between its prediction for each sample (made before the label was seen) and the
 * label, over windows of {@link #TAU_WINDOW} queries.
 */
public record Summary(BenchmarkConfig config, List<Integer> checkpoints, Map<Method, MethodSummary> methods) {
    /** Queries per Kendall-tau window. */
    public static final int TAU_WINDOW = 25;
    private static final int[] CHECKPOINTS = {50, 100, 200, 300};

    /** Best-found accuracy over seeds at one query count, and the test against random search (NaN p if none). */
    public record Point(int queries, double mean, double sd, double ci95, int n, double welchP, double pairedP, double meanDiffVsRandom) {}

    /** Kendall tau-b of the window ending at {@code queries}: mean and 95% CI over units. */
    public record TauWindow(int queries, double mean, double ci95, int n) {}

    public record MethodSummary(List<Point> points, double[] curveMean, double[] curveCi95, List<TauWindow> tau, double[] finalBest) {}

    public static Summary of(BenchmarkConfig cfg, List<UnitResult> units) {
        List<Integer> cps = new ArrayList<>();
        for (int c : CHECKPOINTS) if (c < cfg.queries()) cps.add(c);
        cps.add(cfg.queries());
        Map<Method, List<UnitResult>> by = new LinkedHashMap<>();
        for (Method m : cfg.methods()) by.put(m, new ArrayList<>());
        for (UnitResult u : units) by.get(u.method()).add(u);
        List<UnitResult> random = by.get(Method.RANDOM);
        Map<Method, MethodSummary> out = new LinkedHashMap<>();
        for (Method m : cfg.methods()) {
            List<UnitResult> us = by.get(m);
            List<Point> points = new ArrayList<>();
            for (int q : cps) {
                double[] x = bestAfter(us, q);
                double welch = Double.NaN, paired = Double.NaN, diff = Double.NaN;
                if (random != null && m != Method.RANDOM && x.length >= 2) {
                    double[] r = bestAfter(random, q);
                    welch = Stats.welch(x, r).p();
                    paired = Stats.paired(x, r).p();
                    diff = Stats.mean(x) - Stats.mean(r);
                }
                points.add(new Point(q, Stats.mean(x), Stats.sd(x), Stats.ci95(x), x.length, welch, paired, diff));
            }
            double[] mean = new double[cfg.queries()], ci = new double[cfg.queries()];
            for (int q = 1; q <= cfg.queries(); q++) {
                double[] x = bestAfter(us, q);
                mean[q - 1] = Stats.mean(x);
                ci[q - 1] = Stats.ci95(x);
            }
            out.put(m, new MethodSummary(points, mean, ci, m.isPvll() ? tau(us, cfg.queries()) : List.of(), bestAfter(us, cfg.queries())));
        }
        return new Summary(cfg, cps, out);
    }

    /** Units are in seed order (the config's), so index i of two methods is the same seed. */
    private static double[] bestAfter(List<UnitResult> us, int q) {
        double[] x = new double[us.size()];
        for (int i = 0; i < x.length; i++) x[i] = us.get(i).bestAfter(q);
        return x;
    }

    private static List<TauWindow> tau(List<UnitResult> us, int queries) {
        List<TauWindow> out = new ArrayList<>();
        for (int end = TAU_WINDOW; end <= queries; end += TAU_WINDOW) {
            List<Double> taus = new ArrayList<>();
            for (UnitResult u : us) {
                List<Double> label = new ArrayList<>(), pred = new ArrayList<>();
                for (QueryRecord r : u.records()) {
                    if (r.query() > end - TAU_WINDOW && r.query() <= end && Double.isFinite(r.predicted())) {
                        label.add(r.label());
                        pred.add(r.predicted());
                    }
                }
                if (label.size() < TAU_WINDOW / 2) continue;
                double t = KendallTau.tauB(label.stream().mapToDouble(d -> d).toArray(), pred.stream().mapToDouble(d -> d).toArray());
                if (Double.isFinite(t)) taus.add(t);
            }
            if (taus.isEmpty()) continue;
            double[] x = taus.stream().mapToDouble(d -> d).toArray();
            out.add(new TauWindow(end, Stats.mean(x), Stats.ci95(x), x.length));
        }
        return out;
    }

    /** summary.json: settings, checkpoints, per-method points, curves and tau windows (NaN written as null). */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("oracle", config.oracle());
        o.put("queries", config.queries());
        o.put("seeds", config.seeds());
        o.put("accuracy", "validation accuracy (fraction) predicted by the oracle; best-found = max over the unit's queries so far");
        o.put("tests", "vs random search at the same query count: Welch two-sided p and paired-t two-sided p over the shared seeds");
        o.put("pvll", config.pvll());
        Map<String, Object> ms = new LinkedHashMap<>();
        for (var e : methods.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Map<String, Object>> pts = new ArrayList<>();
            for (Point p : e.getValue().points()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("queries", p.queries());
                r.put("mean", num(p.mean()));
                r.put("sd", num(p.sd()));
                r.put("ci95", num(p.ci95()));
                r.put("n", p.n());
                r.put("mean_diff_vs_random", num(p.meanDiffVsRandom()));
                r.put("welch_p_vs_random", num(p.welchP()));
                r.put("paired_p_vs_random", num(p.pairedP()));
                pts.add(r);
            }
            m.put("at", pts);
            m.put("final_best_per_seed", nums(e.getValue().finalBest()));
            if (!e.getValue().tau().isEmpty()) {
                List<Map<String, Object>> t = new ArrayList<>();
                for (TauWindow w : e.getValue().tau()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("queries", w.queries());
                    r.put("mean", num(w.mean()));
                    r.put("ci95", num(w.ci95()));
                    r.put("n", w.n());
                    t.add(r);
                }
                m.put("kendall_tau_heldout", t);
            }
            m.put("curve_mean", nums(e.getValue().curveMean()));
            m.put("curve_ci95", nums(e.getValue().curveCi95()));
            ms.put(e.getKey().id(), m);
        }
        o.put("methods", ms);
        return o;
    }

    private static Double num(double d) { return Double.isFinite(d) ? d : null; }

    private static List<Double> nums(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double d : a) l.add(num(d));
        return l;
    }
}
