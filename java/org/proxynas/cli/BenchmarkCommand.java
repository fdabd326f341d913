package org.proxynas.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.proxynas.nasbench.Benchmark;
import org.proxynas.nasbench.BenchmarkConfig;
import org.proxynas.nasbench.Method;
import org.proxynas.nasbench.Oracles;
import org.proxynas.nasbench.Oracle;
import org.proxynas.nasbench.PredictorEvaluation;
import org.proxynas.nasbench.PvllSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxynas benchmark}: search methods with an oracle as the only source of labels, at a budget counted in
 * queries; or, with --predictors, the regressors alone scored on held-out genotypes.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Compare search methods (PVLL with the LSTM and the GAE, with and without OIW, EA-PVLL, PVLL and EA-PVLL with the ridge proxy, random search, "
                + "regularized evolution, local search) with an oracle as the only source of labels, at a budget counted in unique "
                + "genotype queries. Writes one JSON line per method, seed and query, summary.json and report.html into --out; a rerun "
                + "with the same --out keeps finished (method, seed) units. --predictors scores the regressors alone."})
public final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--oracle", defaultValue = "nb301", description = "Label source: nb301 (the NAS-Bench-301 surrogate) or synthetic (a planted test landscape) (default: ${DEFAULT-VALUE}).") String oracle;
    @Option(names = "--queries", description = "Unique genotype queries per (method, seed) (default: 300; 100 with --quick).") Integer queries;
    @Option(names = "--seeds", description = "Seeds: A..B or a comma list (default: 0..29; 0..4 with --quick). Tune on 1000 and above.") String seeds;
    @Option(names = "--methods", description = "Comma list of " + "random, re, ls, pvll-lstm, pvll-lstm-oiw, pvll-gae, pvll-gae-oiw, ea-pvll, pvll-ridge, pvll-ridge-oiw, ea-pvll-ridge (default: all). The PVLL settings below apply to every PVLL "
            + "method; pvll-ridge was tuned with --store DERIVED --temperature 1.0 (benchmarks/RESULTS.md).") String methods;
    @Option(names = "--threads", defaultValue = "2", description = "Units run in parallel, each single-threaded (default: ${DEFAULT-VALUE}).") int threads;
    @Option(names = "--quick", description = "5 seeds, 100 queries.") boolean quick;
    @Option(names = "--out", description = "Run directory: a new or empty folder, or a benchmark's folder to resume (default: benchmarks/nb301/run-<time>).") Path out;
    @Option(names = "--predictors", description = "Evaluate the regressors alone: train on n = 25..400 uniform genotypes, Kendall tau and Spearman on --heldout others, --predictor-seeds seeds.") boolean predictors;
    @Option(names = "--heldout", defaultValue = "1000", description = "--predictors: held-out genotypes (default: ${DEFAULT-VALUE}).") int heldout;
    @Option(names = "--predictor-seeds", defaultValue = "10", description = "--predictors: seeds 0..N-1 (default: ${DEFAULT-VALUE}).") int predictorSeeds;
    @Option(names = "--regressors", defaultValue = "lstm,gae,ridge", description = "--predictors: comma list of lstm, gae, ridge (default: ${DEFAULT-VALUE}).") String regressors;
    @Option(names = "--train-sizes", defaultValue = "25,50,100,200,400", description = "--predictors: training-set sizes (default: ${DEFAULT-VALUE}).") String trainSizes;

    // PVLL settings: the paper's, except the five tuned or time-bound values benchmarks/RESULTS.md measures and names
    // (warm-up 20, alpha lr 3e-1, the standardised label, regressor epochs 100 then 2 per fit, GAE width 16).
    @Option(names = "--warmup-samples", defaultValue = "20", description = "PVLL: random samples before the first alpha step (default: ${DEFAULT-VALUE}; paper: 100).") int warmup;
    @Option(names = "--memory", defaultValue = "100", description = "PVLL: memory / population capacity (default: ${DEFAULT-VALUE}).") int memory;
    @Option(names = "--temperature", defaultValue = "0.1", description = "PVLL: Gumbel-softmax temperature (default: ${DEFAULT-VALUE}).") double temperature;
    @Option(names = "--alpha-lr", defaultValue = "3e-1", description = "PVLL: alpha Adam learning rate (default: ${DEFAULT-VALUE}; paper: 3e-4).") double alphaLr;
    @Option(names = "--alpha-weight-decay", defaultValue = "1e-3", description = "PVLL: alpha L2 (default: ${DEFAULT-VALUE}).") double alphaWd;
    @Option(names = "--regressor-warmup", defaultValue = "100", description = "PVLL: epoch cap of the first regressor fit (default: ${DEFAULT-VALUE}; paper: 500).") int regressorWarmup;
    @Option(names = "--regressor-epochs", defaultValue = "2", description = "PVLL: epoch cap per later fit, warm-started (default: ${DEFAULT-VALUE}; paper: 500).") int regressorEpochs;
    @Option(names = "--tau-stop", defaultValue = "0.95", description = "PVLL: a fit stops when Kendall tau on the memory exceeds this (default: ${DEFAULT-VALUE}).") double tauStop;
    @Option(names = "--label", defaultValue = "WARMUP_STANDARDISED", description = "PVLL target: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).") PvllSettings.Label label;
    @Option(names = "--store", defaultValue = "RELAXED", description = "PVLL memory entries: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).") PvllSettings.Store store;
    @Option(names = "--gae-hidden", defaultValue = "16", description = "PVLL: GAE width (default: ${DEFAULT-VALUE}; paper: 128).") int gaeHidden;

    @Override
    public Integer call() {
        if (out != null && out.toString().isBlank()) throw new UserError("--out is empty: give the benchmark's folder (or leave --out out for a new one)");
        Supplier<Oracle> oracles = Oracles.named(oracle);
        if (predictors) {
            Path dir = out != null ? out : Path.of("benchmarks", "nb301", "predictors-" + stamp());
            List<PvllSettings.Proxy> kinds = new ArrayList<>();
            for (String r : regressors.split(",")) {
                try {
                    kinds.add(PvllSettings.Proxy.valueOf(r.trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new UserError("--regressors: unknown regressor '" + r.trim() + "'; expected a comma list of lstm, gae, ridge");
                }
            }
            PredictorEvaluation evaluation;
            try {
                evaluation = new PredictorEvaluation(oracles, kinds, parseInts(trainSizes, "--train-sizes"), heldout, predictorSeeds, threads, pvll(), System.err);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            evaluation.run(dir);
            System.out.println("wrote " + dir.resolve("predictors.json"));
            return 0;
        }
        BenchmarkConfig cfg;
        try {
            List<Method> ms = new ArrayList<>();
            if (methods == null) ms.addAll(List.of(Method.values()));
            else for (String m : methods.split(",")) ms.add(Method.fromId(m.trim()));
            int q = queries != null ? queries : quick ? 100 : 300;
            List<Long> ss = parseSeeds(seeds != null ? seeds : quick ? "0..4" : "0..29");
            cfg = new BenchmarkConfig(oracle, ms, ss, q, threads, pvll());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("benchmarks", "nb301", "run-" + stamp());
        new Benchmark(cfg, dir, oracles, System.err).run();
        System.out.println("wrote " + dir.resolve("report.html"));
        return 0;
    }

    private PvllSettings pvll() {
        try {
            return new PvllSettings(PvllSettings.Proxy.LSTM, false, false, warmup, memory, temperature, alphaLr, alphaWd, regressorWarmup,
                    regressorEpochs, tauStop, label, store, gaeHidden);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static List<Long> parseSeeds(String s) {
        List<Long> out = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots < 0) { out.add(Long.parseLong(p)); continue; }
                long a = Long.parseLong(p.substring(0, dots)), b = Long.parseLong(p.substring(dots + 2));
                if (b < a) throw new UserError("--seeds: range " + p + " is empty (expected A..B with A <= B)");
                for (long x = a; x <= b; x++) out.add(x);
            }
        } catch (NumberFormatException e) {
            throw new UserError("--seeds: expected A..B or a comma list of integers, got '" + s + "'");
        }
        return out;
    }

    private static List<Integer> parseInts(String s, String option) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String p : s.split(",")) out.add(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            throw new UserError(option + ": expected a comma list of integers, got '" + s + "'");
        }
        return out;
    }

    private static String stamp() { return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")); }
}
