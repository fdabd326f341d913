package org.proxynas.cli;

import org.proxynas.bench.BenchConfig;
import org.proxynas.bench.BenchMode;
import org.proxynas.bench.BenchPhase;
import org.proxynas.bench.BenchSuite;
import org.proxynas.bench.BenchTable;
import org.proxynas.run.JsonFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code proxynas bench}: the PyTorch peer's step benchmark (benchmarks/torch_peer.py) on this engine,
 * with the same workload, protocol and JSON layout, so the two files compare run by run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time supernet training steps and validation passes with the PyTorch peer's protocol "
                + "(benchmarks/torch_peer.py): warm-up, then timed steps over preallocated random batches; "
                + "median, p10, p90 and images/s. On a GPU the times come from CUDA events."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--channels", defaultValue = "16", description = "Supernet initial channels C (default: ${DEFAULT-VALUE}).") int channels;
    @Option(names = "--layers", defaultValue = "8", description = "Supernet cells L (default: ${DEFAULT-VALUE}).") int layers;
    @Option(names = "--image-size", defaultValue = "32", description = "Input height = width (default: ${DEFAULT-VALUE}).") int imageSize;
    @Option(names = "--batch", defaultValue = "64", description = "train_step and alpha_step batch (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--eval-batch", defaultValue = "256", description = "eval_forward batch (default: ${DEFAULT-VALUE}).") int evalBatch;
    @Option(names = "--modes", defaultValue = "mixture,single", description = "Comma list of mixture, single (default: ${DEFAULT-VALUE}).") String modes;
    @Option(names = "--phases", defaultValue = "train_step,eval_forward", description = "Comma list of train_step, eval_forward, alpha_step (DARTS's alpha step: mixture mode only) (default: ${DEFAULT-VALUE}).") String phases;
    @Option(names = "--warmup", description = "Warm-up steps per run (default: 10 on a GPU, 1 on the CPU).") Integer warmup;
    @Option(names = "--iters", description = "Timed steps per run (default: 50 on a GPU, 10 on the CPU).") Integer iters;
    @Option(names = "--min-iters", description = "Timed steps done even past a run's budget share (default: 3 on a GPU, 2 on the CPU).") Integer minIters;
    @Option(names = "--n-batches", defaultValue = "4", description = "Preallocated random batches the steps rotate through (default: ${DEFAULT-VALUE}).") int nBatches;
    @Option(names = "--budget-seconds", defaultValue = "600", description = "Bound on the whole session; a step is not started if it would end past it (default: ${DEFAULT-VALUE}).") double budgetSeconds;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights, alphas and batches (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--out", description = "JSON results file (the peer's layout); none is written without it.") Path out;
    @Mixin BackendOption backend = new BackendOption();

    @Override
    public Integer call() {
        BenchConfig cfg;
        try {
            cfg = new BenchConfig(channels, layers, imageSize, batch, evalBatch, list(modes, "--modes", BenchMode::parse),
                    list(phases, "--phases", BenchPhase::parse), warmup, iters, minIters, nBatches, budgetSeconds, seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        backend.checkSupported();
        BenchSuite.Outcome outcome = BenchSuite.run(cfg, backend::create, System.out);
        BenchTable.print(outcome, System.out);
        if (out != null) {
            Map<String, Object> json = outcome.toJson();
            @SuppressWarnings("unchecked") Map<String, Object> meta = (Map<String, Object>) json.get("meta");
            meta.put("proxynas", VersionProvider.version());
            JsonFiles.write(out, json);
            System.out.println("wrote " + out.toAbsolutePath());
        }
        return outcome.runs().stream().anyMatch(r -> r.status().equals("failed")) ? 1 : 0;
    }

    private interface Parser<T> { T parse(String option, String value); }

    private static <T> List<T> list(String csv, String option, Parser<T> parser) {
        List<T> items = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> parser.parse(option, s)).distinct().toList();
        if (items.isEmpty()) throw new IllegalArgumentException(option + " names nothing; got '" + csv + "'");
        return items;
    }
}
