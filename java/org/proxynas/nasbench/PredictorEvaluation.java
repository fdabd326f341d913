package org.proxynas.nasbench;

import org.proxynas.stats.Stats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.proxy.ArchMemory;
import org.proxynas.proxy.KendallTau;
import org.proxynas.proxy.Regressor;
import org.proxynas.proxy.RegressorTrainer;
import org.proxynas.rng.Rng;
import org.proxynas.run.JsonFiles;
import org.proxynas.space.Genotype;
import org.proxynas.space.RandomArchitectures;

/**
 * The regressors alone, as NASLib evaluates predictors: for each seed, n uniformly random genotypes (one-hot
 * encodings, labels from the oracle mapped as PVLL maps them) train a fresh regressor with PVLL's fit rule (Kendall
 * stop on the training set, the warm-up epoch cap), then Kendall tau-b and Spearman between prediction and label on
 * {@code heldout} other random genotypes. Mean and spread over seeds per (regressor, n).
 */
public final class PredictorEvaluation {
    private record Unit(PvllSettings.Proxy proxy, int n, int seed) {}

    private record Score(double kendall, double spearman, int epochs, double seconds) {}

    private final Supplier<Oracle> oracles;
    private final List<Integer> sizes;
    private final List<PvllSettings.Proxy> regressors;
    private final int heldout, seeds, threads;
    private final PvllSettings pvll;
    private final PrintStream log;

    public PredictorEvaluation(Supplier<Oracle> oracles, List<PvllSettings.Proxy> regressors, List<Integer> sizes, int heldout, int seeds,
                               int threads, PvllSettings pvll, PrintStream log) {
        if (regressors.isEmpty()) throw new IllegalArgumentException("--regressors: name at least one of lstm, gae, ridge");
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 2)) throw new IllegalArgumentException("--train-sizes: each size must be >= 2, got " + sizes);
        if (heldout < 2) throw new IllegalArgumentException("--heldout must be >= 2, got " + heldout);
        if (seeds < 1 || threads < 1) throw new IllegalArgumentException("--predictor-seeds and --threads must be >= 1");
        this.oracles = oracles;
        this.sizes = List.copyOf(sizes);
        this.regressors = List.copyOf(regressors);
        this.heldout = heldout;
        this.seeds = seeds;
        this.threads = threads;
        this.pvll = pvll;
        this.log = log;
    }

    /** Runs every (regressor, n, seed) and writes predictors.json into dir; returns its content. */
    public Map<String, Object> run(Path dir) {
        List<Unit> units = new ArrayList<>();
        for (PvllSettings.Proxy p : regressors) for (int n : sizes) for (int s = 0; s < seeds; s++) units.add(new Unit(p, n, s));
        ThreadLocal<Oracle> oracle = ThreadLocal.withInitial(oracles);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Unit, Score> scores = new LinkedHashMap<>();
        long start = System.nanoTime();
        try {
            List<Future<Score>> fs = new ArrayList<>();
            for (Unit u : units) fs.add(pool.submit(() -> score(u, oracle.get())));
            for (int i = 0; i < units.size(); i++) {
                Score sc = fs.get(i).get();
                scores.put(units.get(i), sc);
                log.printf(Locale.ROOT, "[%d/%d] %s n=%d seed %d: tau %.3f, spearman %.3f (%d epochs, %.1f s); elapsed %s%n", i + 1, units.size(),
                        units.get(i).proxy(), units.get(i).n(), units.get(i).seed(), sc.kendall(), sc.spearman(), sc.epochs(), sc.seconds(),
                        Benchmark.clock((System.nanoTime() - start) / 1e9));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("predictor evaluation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldout", heldout);
        out.put("seeds", seeds);
        out.put("encoding", "one-hot of the genotype (kept edges on their op, other edges on none)");
        out.put("label", pvll.label().name());
        out.put("fit", "Kendall stop at " + pvll.tauStop() + " on the training set, at most " + pvll.regressorWarmupEpochs()
                + " epochs, batch 64 (ridge: one exact fit, penalty by leave-one-out)");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PvllSettings.Proxy p : regressors) {
            for (int n : sizes) {
                double[] k = new double[seeds], sp = new double[seeds], secs = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    Score sc = scores.get(new Unit(p, n, s));
                    k[s] = sc.kendall();
                    sp[s] = sc.spearman();
                    secs[s] = sc.seconds();
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("regressor", p.name().toLowerCase(Locale.ROOT));
                r.put("n", n);
                r.put("kendall_mean", Stats.mean(k));
                r.put("kendall_sd", Stats.sd(k));
                r.put("spearman_mean", Stats.mean(sp));
                r.put("spearman_sd", Stats.sd(sp));
                r.put("kendall_per_seed", k);
                r.put("spearman_per_seed", sp);
                r.put("fit_seconds_mean", Stats.mean(secs));
                rows.add(r);
            }
        }
        out.put("results", rows);
        JsonFiles.write(dir.resolve("predictors.json"), out);
        return out;
    }

    private Score score(Unit u, Oracle oracle) {
        Rng rng = new Rng(0x9D1C7L * (u.seed() + 1));
        Rng dataRng = rng.split(), initRng = new Rng(rng.nextLong() + u.n()), trainRng = rng.split();
        List<Genotype> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < u.n(); i++) train.add(RandomArchitectures.genotype(dataRng));
        Rng testRng = new Rng(0x7E57L + u.seed());
        for (int i = 0; i < heldout; i++) test.add(RandomArchitectures.genotype(testRng));
        double[] trainAcc = oracle.accuracy(train), testAcc = oracle.accuracy(test);
        PvllStrategy.Labels labels = PvllStrategy.Labels.fit(pvll.label(), trainAcc);
        long t0 = System.nanoTime();
        try (CpuBackend backend = new CpuBackend(1)) {
            Regressor reg = PvllStrategy.regressor(u.proxy(), pvll.gaeHidden(), backend, initRng);
            ArchMemory m = new ArchMemory(u.n());
            for (int i = 0; i < u.n(); i++) m.add(PvllStrategy.oneHot(train.get(i)), labels.of(trainAcc[i]));
            RegressorTrainer t = new RegressorTrainer(reg, trainRng,
                    new RegressorTrainer.Config(64, pvll.regressorWarmupEpochs(), RegressorTrainer.StopRule.KENDALL, pvll.tauStop()));
            int epochs = t.fit(m).epochs();
            float[][] enc = new float[heldout][];
            double[] truth = new double[heldout];
            for (int i = 0; i < heldout; i++) {
                enc[i] = PvllStrategy.oneHot(test.get(i));
                truth[i] = labels.of(testAcc[i]);
            }
            double[] pred = reg.predict(enc);
            return new Score(KendallTau.tauB(truth, pred), Stats.spearman(truth, pred), epochs, (System.nanoTime() - t0) / 1e9);
        }
    }
}
