package org.proxynas.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.ProgressBar;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.Relaxation;
import org.proxynas.space.SampledPath;
import org.proxynas.stats.Stats;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * How much of a validation-loss label is the path and how much is noise: k paths are each re-measured m times
 * (trained for one sample's budget, then validated), every measurement preceded by one sample of normal training on
 * a fresh path, so the supernet moves on between measurements as it does during a search. The share of label
 * variance due to the path is the intraclass correlation of a one-way random-effects ANOVA; "drift removed" first
 * takes out each round's mean (two-way additive ANOVA), the part of the noise that is the supernet changing over
 * time; "trend removed" takes out a cubic in the measurement's position in time instead, which also removes the drift
 * within a round (the supernet trains between any two measurements). A regressor cannot rank paths better than the labels do: below {@link #LOW} the labels are mostly noise.
 */
public final class LabelDiagnostic {
    /** Below this share of variance the labels rank paths worse than they mis-rank them. */
    public static final double LOW = 0.5;

    /**
     * @param labels        labels[path][round]
     * @param pathShare     share of the label variance due to the path
     * @param pathShareDriftRemoved the same after removing each round's mean
     * @param order         order[path][round]: when the label was measured (0 = first)
     * @param pathShareTrendRemoved the share after removing a cubic trend in measurement order
     * @param pathShareCi   90% confidence interval of pathShare
     * @param driftRemovedCi 90% confidence interval of pathShareDriftRemoved
     */
    public record Result(double[][] labels, int[][] order, double pathShare, double pathShareDriftRemoved, double pathShareTrendRemoved,
                         Interval pathShareCi, Interval driftRemovedCi, int stepsPerSample, double valFraction, double lr) {
        public boolean low() { return pathShare < LOW; }

        /** One line for the console and log.txt. */
        public String summary() {
            return String.format(Locale.ROOT, "label diagnostic (%d paths x %d measurements, %d steps per sample, val fraction %.2f): "
                    + "path share of label variance %.2f (90%% interval %.2f..%.2f), %.2f with round drift removed (%.2f..%.2f), %.2f with the"
                    + " time trend removed", labels.length, labels[0].length, stepsPerSample, valFraction, pathShare, pathShareCi.low(),
                    pathShareCi.high(), pathShareDriftRemoved, driftRemovedCi.low(), driftRemovedCi.high(), pathShareTrendRemoved);
        }

        /** What to raise when the share is low (null when it is not). */
        public String advice() {
            if (!low()) return null;
            String steps = stepsPerSample == 0 ? "a full epoch per sample already" : "--steps-per-sample " + stepsPerSample + " -> " + 2 * stepsPerSample;
            String val = valFraction < 1 ? String.format(Locale.ROOT, "--val-fraction %.2f -> %.2f", valFraction, Math.min(1, 2 * valFraction))
                    : "the whole validation split is scored already";
            String drift = Math.max(pathShareDriftRemoved, pathShareTrendRemoved) >= LOW
                    ? String.format(Locale.ROOT, "; most of the noise is the supernet still converging (%.2f without the drift between rounds,"
                    + " %.2f without the time trend): a longer warm-up should help most (`proxynas diagnose --warmup-samples N` saves"
                    + " a warmed supernet that --init-supernet starts from)", pathShareDriftRemoved, pathShareTrendRemoved) : "";
            return String.format(Locale.ROOT, "warning: the path explains only %.0f%% of the label variance (below %.0f%%): the proxy is"
                    + " fitted mostly to noise and cannot rank paths well; raise %s (more training per label; drift-removed share %.2f)"
                    + " or %s (less validation noise)%s",
                    100 * pathShare, 100 * LOW, steps, pathShareDriftRemoved, val, drift);
        }
    }

    /** A confidence interval. */
    public record Interval(double low, double high) {}

    private LabelDiagnostic() {}

    /**
     * Measures k paths drawn around alpha m times each at learning rate lr. Trains the supernet: callers that must not
     * change the run take a {@link WeightSnapshot} first.
     */
    public static Result measure(PathEvaluator runner, Relaxation relaxation, ArchParams alpha, Rng rng, int k, int m, float lr,
                                 int stepsPerSample, double valFraction, IntConsumer progress) {
        if (k < 2 || m < 2) throw new IllegalArgumentException("the label diagnostic needs >= 2 paths and >= 2 measurements, got " + k + " x " + m);
        SampledPath[] paths = drawPaths(relaxation, alpha, rng, k);
        return measureRounds(runner, relaxation, alpha, rng, paths, Rounds.none(k, m), lr, stepsPerSample, valFraction, progress, r -> {});
    }

    /** The label phase so far: rounds measured, and labels[path][round] and order[path][round] of those rounds. */
    private record Rounds(int done, double[][] labels, int[][] order) {
        static Rounds none(int k, int m) { return new Rounds(0, new double[k][m], new int[k][m]); }
    }

    /** The k paths the diagnostic re-measures, drawn around alpha. */
    private static SampledPath[] drawPaths(Relaxation relaxation, ArchParams alpha, Rng rng, int k) {
        SampledPath[] paths = new SampledPath[k];
        for (int i = 0; i < k; i++) paths[i] = relaxation.relax(alpha, GumbelNoise.draw(rng)).path();
        return paths;
    }

    /** The rounds after from's, each round one measurement of every path in an order drawn from rng; afterRound sees each. */
    private static Result measureRounds(PathEvaluator runner, Relaxation relaxation, ArchParams alpha, Rng rng, SampledPath[] paths,
                                        Rounds from, float lr, int stepsPerSample, double valFraction, IntConsumer progress,
                                        Consumer<Rounds> afterRound) {
        double[][] labels = from.labels();
        int[][] order = from.order();
        int k = paths.length, m = labels[0].length, done = from.done() * k;
        for (int r = from.done(); r < m; r++) {
            for (int i : permutation(k, rng)) {
                runner.trainPath(relaxation.relax(alpha, GumbelNoise.draw(rng)).path(), lr, null);
                runner.trainPath(paths[i], lr, null);
                labels[i][r] = runner.validate(paths[i]).loss();
                order[i][r] = done++;
                if (progress != null) progress.accept(done);
            }
            afterRound.accept(new Rounds(r + 1, labels, order));
        }
        return new Result(labels, order, pathShare(labels, false), pathShare(labels, true), pathShareTrendRemoved(labels, order),
                interval(labels, false, 0.90), interval(labels, true, 0.90), stepsPerSample, valFraction, lr);
    }

    private static int[] permutation(int k, Rng rng) {
        int[] p = new int[k];
        for (int i = 0; i < k; i++) p[i] = i;
        for (int i = k - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The path's share of variance of labels[path][round]: sigma_p^2 / (sigma_p^2 + sigma_e^2), sigma_p^2 =
     * max(0, (MS_path - MS_error) / m) (the ANOVA estimator), i.e. (F - 1) / (F + m - 1) with F = MS_path / MS_error.
     * Without drift removal MS_error is the within-path mean square; with it, the residual of the additive path + round
     * model.
     */
    static double pathShare(double[][] labels, boolean removeDrift) {
        Anova a = anova(labels, removeDrift);
        if (!(a.msError() > 0)) return 1.0;
        return share(a.msPath() / a.msError(), labels[0].length);
    }

    /**
     * The confidence interval of {@link #pathShare} from the F distribution of MS_path / MS_error under normal errors
     * (the ICC(1) and ICC(C,1) intervals of McGraw and Wong, 1996); with 6 paths x 4 rounds it is wide.
     */
    static Interval interval(double[][] labels, boolean removeDrift, double level) {
        Anova a = anova(labels, removeDrift);
        int m = labels[0].length;
        if (!(a.msError() > 0)) return new Interval(1, 1);
        double f = a.msPath() / a.msError(), tail = (1 + level) / 2;
        double low = f / Stats.fQuantile(tail, a.dfPath(), a.dfError()), high = f * Stats.fQuantile(tail, a.dfError(), a.dfPath());
        return new Interval(share(low, m), share(high, m));
    }

    private static double share(double f, int m) { return Math.max(0, (f - 1) / (f + m - 1)); }

    private record Anova(double msPath, double msError, int dfPath, int dfError) {}

    private static Anova anova(double[][] labels, boolean removeDrift) {
        int k = labels.length, m = labels[0].length;
        double grand = 0;
        double[] pathMean = new double[k], roundMean = new double[m];
        for (int i = 0; i < k; i++) {
            if (labels[i].length != m) throw new IllegalArgumentException("path " + i + " has " + labels[i].length + " labels, expected " + m);
            for (int r = 0; r < m; r++) {
                pathMean[i] += labels[i][r] / m;
                roundMean[r] += labels[i][r] / k;
                grand += labels[i][r] / (k * m);
            }
        }
        double ssPath = 0, ssError = 0;
        for (int i = 0; i < k; i++) {
            ssPath += m * (pathMean[i] - grand) * (pathMean[i] - grand);
            for (int r = 0; r < m; r++) {
                double e = labels[i][r] - pathMean[i] - (removeDrift ? roundMean[r] - grand : 0);
                ssError += e * e;
            }
        }
        int dfError = removeDrift ? (k - 1) * (m - 1) : k * (m - 1);
        return new Anova(ssPath / (k - 1), ssError / dfError, k - 1, dfError);
    }

    /**
     * The path's share of variance after subtracting a least-squares cubic in the measurement order (fitted to all
     * labels, ignoring the path: the paths are measured in random order, so the trend does not absorb them).
     */
    static double pathShareTrendRemoved(double[][] labels, int[][] order) {
        int k = labels.length, m = labels[0].length, n = k * m, deg = Math.min(3, n - 2);
        double[][] ata = new double[deg + 1][deg + 1];
        double[] atb = new double[deg + 1];
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < m; r++) {
                double[] row = powers(order[i][r], n, deg);
                for (int a = 0; a <= deg; a++) {
                    atb[a] += row[a] * labels[i][r];
                    for (int b = 0; b <= deg; b++) ata[a][b] += row[a] * row[b];
                }
            }
        }
        double[] coef = solve(ata, atb);
        double[][] residual = new double[k][m];
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < m; r++) {
                double[] row = powers(order[i][r], n, deg);
                double fit = 0;
                for (int a = 0; a <= deg; a++) fit += coef[a] * row[a];
                residual[i][r] = labels[i][r] - fit;
            }
        }
        return pathShare(residual, false);
    }

    /** 1, t, t^2, ... with t scaled to [-1, 1] so the normal equations stay well conditioned. */
    private static double[] powers(int index, int n, int deg) {
        double t = n > 1 ? 2.0 * index / (n - 1) - 1 : 0, p = 1;
        double[] row = new double[deg + 1];
        for (int a = 0; a <= deg; a++, p *= t) row[a] = p;
        return row;
    }

    /** Gaussian elimination with partial pivoting on a small symmetric positive-definite system. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double[] x = b.clone();
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            double tb = x[c]; x[c] = x[p]; x[p] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j < n; j++) m[r][j] -= f * m[c][j];
                x[r] -= f * x[c];
            }
        }
        for (int c = n - 1; c >= 0; c--) {
            for (int j = c + 1; j < n; j++) x[c] -= m[c][j] * x[j];
            x[c] /= m[c][c];
        }
        return x;
    }

    /** The header format of a diagnose run's checkpoint.bin. */
    static final String CHECKPOINT_FORMAT = "proxynas-diagnose-checkpoint";

    /**
     * The diagnostic as `proxynas diagnose` runs it: the search's warm-up (P random paths at the initial learning rate,
     * each path's training loss in metrics.jsonl), the warmed supernet saved to saveTo ({@link SupernetWeights}; null:
     * not saved), then k paths around the initial alpha measured m times each. It checkpoints every
     * cfg.checkpointEvery warm-up paths, at the warm-up's end and after every round of labels (the run directory's
     * checkpoint.bin); with resume it continues from there, and the result is bit-identical to an uninterrupted run on
     * the CPU backend.
     */
    public static Result standalone(SearchSetup setup, int k, int m, Path saveTo, boolean resume) {
        SearchConfig cfg = setup.config();
        RunContext ctx = setup.context();
        SupernetRunner runner = setup.runner();
        Relaxation relaxation = new Relaxation(cfg.alpha().temperature());
        Rng rng = setup.rootRng().split();
        ArchParams alpha = ArchParams.init(setup.rootRng().split());
        int p = cfg.schedule().warmupSamples();
        Progress at = resume ? restore(ctx, runner, rng) : new Progress(0, null, null);
        ProgressBar warm = ProgressBar.stderr("warm-up (" + p + " random paths)", p, "paths");
        warm.update(at.warmupDone());
        for (int i = at.warmupDone(); i < p; i++) {
            SupernetRunner.TrainStats t = runner.trainPath(relaxation.relax(alpha, GumbelNoise.draw(rng)).path(), (float) cfg.supernet().lr(), null);
            ctx.metric(MetricsLog.record("phase", "warmup", "sample", i, "train_loss", t.loss(),
                    "train_acc", t.accuracy(), "elapsed_s", ctx.elapsed()));
            warm.suffix(String.format(Locale.ROOT, "train loss %.3f", t.loss()));
            warm.update(i + 1);
            if ((i + 1) % cfg.checkpointEvery() == 0 || i + 1 == p) checkpoint(ctx, runner, rng, i + 1, null, null);
        }
        warm.finish();
        // once a round of labels is measured the supernet has moved on from the warmed one, which is saved already
        if (saveTo != null && at.rounds() == null) {
            SupernetWeights.save(runner, cfg, setup.dataset(), p, saveTo);
            ctx.log("warmed-up supernet (" + runner.steps() + " weight steps) saved to " + saveTo);
        }
        // the paths are drawn from the rng as the label phase starts; a resumed run draws them again from that state
        long[] labelStart = at.rounds() == null ? rng.state() : at.labelStart();
        SampledPath[] paths = drawPaths(relaxation, alpha, at.rounds() == null ? rng : Rng.fromState(labelStart), k);
        Rounds from = at.rounds() == null ? Rounds.none(k, m) : at.rounds();
        ProgressBar bar = ProgressBar.stderr("label diagnostic (" + k + " paths x " + m + ")", (long) k * m, "labels");
        bar.update((long) from.done() * k);
        Result r = measureRounds(runner, relaxation, alpha, rng, paths, from, (float) cfg.supernet().lr(), cfg.schedule().stepsPerSample(),
                cfg.data().valFraction(), bar::update, rounds -> checkpoint(ctx, runner, rng, p, labelStart, rounds));
        bar.finish();
        return r;
    }

    /** Where a resumed diagnostic continues: warm-up paths trained, and (null before the label phase) its rounds. */
    private record Progress(int warmupDone, long[] labelStart, Rounds rounds) {}

    private static void checkpoint(RunContext ctx, SupernetRunner runner, Rng rng, int warmupDone, long[] labelStart, Rounds rounds) {
        Checkpoint c = RunCheckpoint.create(CHECKPOINT_FORMAT, ctx, runner);
        ObjectMapper json = c.json();
        c.header().put("warmup_done", warmupDone);
        c.header().set("rng", json.valueToTree(rng.state()));
        if (rounds != null) {
            c.header().put("label_rounds", rounds.done());
            c.header().set("label_rng_start", json.valueToTree(labelStart));
            c.header().set("labels", json.valueToTree(rounds.labels()));
            c.header().set("label_order", json.valueToTree(rounds.order()));
        }
        c.write(ctx.checkpointFile());
    }

    /** Loads the last checkpoint into runner and rng; returns how far it had got. */
    private static Progress restore(RunContext ctx, SupernetRunner runner, Rng rng) {
        Checkpoint c = RunCheckpoint.read(ctx, CHECKPOINT_FORMAT, "diagnose");
        RunCheckpoint.restore(c, ctx, runner);
        rng.setState(ProxySearch.longs(c.field("rng")));
        int done = c.field("warmup_done").asInt();
        if (!c.header().has("label_rounds")) {
            ctx.log("resumed from " + ctx.checkpointFile() + " after " + done + " warm-up paths (weight step " + runner.steps() + ")");
            return new Progress(done, null, null);
        }
        double[][] labels = c.json().convertValue(c.field("labels"), double[][].class);
        int[][] order = c.json().convertValue(c.field("label_order"), int[][].class);
        int roundsDone = c.field("label_rounds").asInt();
        ctx.log("resumed from " + ctx.checkpointFile() + " after the warm-up and " + roundsDone + " of " + labels[0].length
                + " label rounds (weight step " + runner.steps() + ")");
        return new Progress(done, ProxySearch.longs(c.field("label_rng_start")), new Rounds(roundsDone, labels, order));
    }
}
