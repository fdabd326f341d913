package org.proxynas.experiment;

import org.proxynas.chart.LineChart;
import org.proxynas.report.CellDiagram;
import org.proxynas.report.ReportHtml;
import org.proxynas.run.AtomicFiles;
import org.proxynas.run.JsonFiles;
import org.proxynas.space.CellType;
import org.proxynas.space.GenotypeText;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code proxynas collect}: summary.json and report.html for a whole experiment, finished or not. */
public final class Collector {
    public static final String SUMMARY = "summary.json", REPORT = "report.html";

    private Collector() {}

    public static Summary summarise(ExperimentDir exp, List<TaskStatus> statuses) {
        List<Summary.Unfinished> unfinished = new ArrayList<>();
        for (TaskStatus s : statuses) {
            if (s.state() != TaskState.DONE) {
                unfinished.add(new Summary.Unfinished(s.task().stage().dirName() + "/" + s.task().index(), s.task().method(), s.task().seed(), s.state()));
            }
        }
        Map<String, List<Selection.Pick>> picks = new HashMap<>();
        for (Selection.Pick p : Selection.picks(exp)) picks.computeIfAbsent(p.method(), k -> new ArrayList<>()).add(p);
        List<Summary.MethodSummary> methods = new ArrayList<>();
        for (String m : exp.plan().search().methods()) {
            List<Summary.SearchRun> runs = new ArrayList<>();
            List<Double> best = new ArrayList<>(), fin = new ArrayList<>(), acc = new ArrayList<>();
            for (Task t : exp.tasks(Stage.SEARCH)) {
                if (!t.method().equals(m)) continue;
                SearchFigures f = SearchFigures.read(t.out(exp.dir()));
                if (f == null) continue;
                runs.add(new Summary.SearchRun(t.index(), t.seed(), f.bestValLoss(), f.finalValLoss(), f.finalValAcc(), f.heldoutTau(), f.genotype()));
                best.add(f.bestValLoss());
                fin.add(f.finalValLoss());
                acc.add(f.finalValAcc());
            }
            List<Summary.Candidate> candidates = new ArrayList<>();
            Summary.Candidate winner = null;
            for (Selection.Pick p : picks.getOrDefault(m, List.of())) {
                List<Summary.RetrainRun> rr = new ArrayList<>();
                List<Double> accs = new ArrayList<>();
                String genotype = SearchFigures.read(Tasks.search(exp.plan()).get(p.searchTask()).out(exp.dir())).genotype();
                for (Task t : exp.tasks(Stage.RETRAIN)) {
                    if (!t.method().equals(m) || t.rank() != p.rank()) continue;
                    TrainFigures f = TrainFigures.read(t.out(exp.dir()));
                    if (f == null) continue;
                    rr.add(new Summary.RetrainRun(t.index(), t.seed(), f.testAccuracy(), f.testLoss(), f.parameters()));
                    accs.add(f.testAccuracy());
                }
                Summary.Candidate c = new Summary.Candidate(p.rank(), p.searchTask(), p.seed(), genotype, rr, Spread.of(accs, true));
                candidates.add(c);
                if (c.testAccuracy() != null && (winner == null || c.testAccuracy().mean() > winner.testAccuracy().mean())) winner = c;
            }
            methods.add(new Summary.MethodSummary(m, runs, Spread.of(best, false), Spread.of(fin, false), Spread.of(acc, true), candidates, winner));
        }
        int done = statuses.size() - unfinished.size();
        return new Summary(Summary.FORMAT, 1, exp.plan().name(), statuses.size(), done, unfinished, methods);
    }

    /** Writes summary.json and report.html (with its figures in report/) into the experiment directory. */
    public static Summary collect(ExperimentDir exp, List<TaskStatus> statuses, String statusSource) {
        Summary s = summarise(exp, statuses);
        JsonFiles.write(exp.dir().resolve(SUMMARY), s);
        AtomicFiles.writeString(exp.dir().resolve(REPORT), html(exp, s, statuses, statusSource));
        return s;
    }

    private static String html(ExperimentDir exp, Summary s, List<TaskStatus> statuses, String statusSource) {
        ReportHtml h = new ReportHtml("ProxyNAS experiment " + s.experiment());
        h.h1("Experiment " + s.experiment());
        h.meta(s.done() + " of " + s.tasks() + " tasks have a result; engine " + exp.engine() + "; task states from the run directories and "
                + statusSource + ". Figures: summary.json.");
        if (!s.unfinished().isEmpty()) {
            h.warning("Partial experiment: " + s.unfinished().size() + " task(s) without a result are listed under Tasks; "
                    + "`proxynas experiment resume " + exp.dir() + "` runs them.");
        }
        for (Summary.MethodSummary m : s.methods()) {
            h.h2("method-" + m.method(), "Method " + m.method());
            h.h3("Searches (" + m.searches().size() + " with a result)");
            List<String[]> rows = ReportHtml.rows();
            for (Summary.SearchRun r : m.searches()) {
                rows.add(new String[] {"search/" + r.task(), Long.toString(r.seed()), f(r.bestValLoss()), f(r.finalValLoss()), f(r.finalValAcc()),
                        r.heldoutTau() == null ? "" : f(r.heldoutTau()), r.genotype()});
            }
            h.table(new String[] {"task", "seed", "best val loss", "final val loss", "final val acc", "held-out tau", "genotype"}, rows);
            List<String[]> spread = ReportHtml.rows();
            spreadRow(spread, "best val loss (lower is better)", m.bestValLoss());
            spreadRow(spread, "final val loss", m.finalValLoss());
            spreadRow(spread, "final val accuracy (higher is better)", m.finalValAcc());
            h.table(new String[] {"over seeds", "n", "mean", "std", "best"}, spread);
            anytime(exp, m, h);
            h.h3("Retrained candidates");
            List<String[]> cand = ReportHtml.rows();
            for (Summary.Candidate c : m.candidates()) {
                StringBuilder seeds = new StringBuilder();
                for (Summary.RetrainRun r : c.runs()) seeds.append(seeds.isEmpty() ? "" : ", ").append("seed ").append(r.seed()).append(": ").append(f(r.testAccuracy()));
                Spread a = c.testAccuracy();
                cand.add(new String[] {Integer.toString(c.rank()), "search/" + c.searchTask() + " (seed " + c.searchSeed() + ")",
                        a == null ? "no result yet" : f(a.mean()), a == null ? "" : f(a.std()), a == null ? "" : f(a.best()), seeds.toString()});
            }
            h.table(new String[] {"rank", "from", "test acc mean", "std", "best", "per seed"}, cand);
            if (m.winner() != null) {
                h.h3("Winner: rank " + m.winner().rank() + ", mean test accuracy " + f(m.winner().testAccuracy().mean()));
                h.pre(m.winner().genotype());
                for (CellType cell : CellType.values()) {
                    String file = "report/" + m.method() + "-winner-" + cell.name().toLowerCase(Locale.ROOT) + ".svg";
                    AtomicFiles.writeString(exp.dir().resolve(file), CellDiagram.svg(GenotypeText.parse(m.winner().genotype()), cell));
                    h.figure(file, cell.name().toLowerCase(Locale.ROOT) + " cell of the winner", cell + " cell diagram");
                }
            }
        }
        h.h2("tasks", "Tasks");
        List<String[]> rows = ReportHtml.rows();
        for (TaskStatus t : statuses) rows.add(new String[] {t.task().label(), t.state().name(), t.detail()});
        h.table(new String[] {"task", "state", "detail"}, rows);
        return h.finish();
    }

    /** Best validation loss so far against elapsed seconds, one line per seed. */
    private static void anytime(ExperimentDir exp, Summary.MethodSummary m, ReportHtml h) {
        String file = "report/" + m.method() + "-anytime.svg";
        LineChart chart = new LineChart(m.method() + ": anytime curve", "elapsed seconds", "best validation loss so far");
        for (Summary.SearchRun r : m.searches()) {
            SearchFigures f = SearchFigures.read(Tasks.search(exp.plan()).get(r.task()).out(exp.dir()));
            if (f != null) chart.series("seed " + r.seed(), f.curveSeconds(), f.curveBest());
        }
        if (!chart.hasData()) return;
        // SVG needs no java.desktop, so the GPU bundle's runtime draws it too
        AtomicFiles.writeString(exp.dir().resolve(file), chart.svg(m.method().replaceAll("[^A-Za-z0-9_-]", "_").replaceFirst("^(?![A-Za-z])", "m")));
        h.figure(file, "anytime curves of the " + m.method() + " searches", "anytime curves");
    }

    private static void spreadRow(List<String[]> rows, String name, Spread s) {
        rows.add(s == null ? new String[] {name, "0", "", "", ""} : new String[] {name, Integer.toString(s.n()), f(s.mean()), f(s.std()), f(s.best())});
    }

    private static String f(double v) { return String.format(Locale.ROOT, "%.4f", v); }
}
