package org.proxynas.bench;

import org.proxynas.cpu.CpuBackend;
import org.proxynas.nn.SuperNet;
import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A benchmark session: every (mode, phase) of the config, each on a fresh backend and supernet, within one time
 * budget; runs the budget cannot reach are listed as skipped. The result is the peer's JSON layout
 * (benchmarks/torch_peer.py): meta, runs, skipped_for_budget, budget.
 */
public final class BenchSuite {
    /** What a session measured, ready for JSON. */
    public record Outcome(Map<String, Object> meta, List<RunResult> runs, List<String> skipped, Map<String, Object> budget) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("meta", meta);
            m.put("runs", runs.stream().map(RunResult::toJson).toList());
            m.put("skipped_for_budget", skipped);
            m.put("budget", budget);
            return m;
        }
    }

    private BenchSuite() {}

    /** backends makes a fresh backend per run (and one first, to describe it); progress gets a line per run. */
    public static Outcome run(BenchConfig requested, Supplier<Backend> backends, PrintStream progress) {
        Budget budget = new Budget(requested.budgetSeconds());
        String describe, name;
        try (Backend b = backends.get()) {
            describe = b.describe();
            name = b.name();
        }
        BenchConfig cfg = requested.resolve(name.equals("cuda"));
        Map<String, Object> meta = meta(cfg, name, describe);
        progress.printf(Locale.ROOT, "proxynas bench on %s; supernet C=%d L=%d, %d weights; warm-up %d, %d timed steps, budget %.0f s%n",
                describe, cfg.channels(), cfg.layers(), (long) meta.get("param_count"), cfg.warmup(), cfg.iters(), cfg.budgetSeconds());

        BenchRun runner = new BenchRun(cfg, budget);
        List<RunResult> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int planned = cfg.modes().size() * cfg.phases().size(), index = 0;
        for (BenchMode mode : cfg.modes()) {
            for (BenchPhase phase : cfg.phases()) {
                int runsLeft = planned - index++;
                if (budget.remaining() <= 0) {
                    skipped.add(RunResult.VARIANT + "/" + mode.key() + "/" + phase.key());
                    continue;
                }
                RunResult r = runner.measure(backends, mode, phase, runsLeft);
                runs.add(r);
                progress.printf(Locale.ROOT, "[%7.1fs] %-8s %-12s %-24s median=%s ms  n=%d%s%n", budget.elapsed(), mode.key(), phase.key(),
                        r.status(), r.hasTimes() ? String.format(Locale.ROOT, "%.2f", r.medianMs()) : "-", r.timesMs().size(),
                        r.error() == null ? "" : "  " + r.error());
            }
        }
        List<String> cut = runs.stream().filter(r -> r.status().startsWith("budget"))
                .map(r -> RunResult.VARIANT + "/" + r.mode().key() + "/" + r.phase().key()).toList();
        Map<String, Object> budgetJson = new LinkedHashMap<>();
        budgetJson.put("seconds", cfg.budgetSeconds());
        budgetJson.put("spent_s", Math.round(budget.elapsed() * 10) / 10.0);
        budgetJson.put("exhausted", !skipped.isEmpty() || !cut.isEmpty());
        budgetJson.put("interrupted", cut);
        return new Outcome(meta, runs, skipped, budgetJson);
    }

    private static Map<String, Object> meta(BenchConfig cfg, String backendName, String describe) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("java", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        m.put("backend", backendName);
        m.put("backend_describe", describe);
        m.put("cpu_model", cpuModel());
        m.put("threads", Runtime.getRuntime().availableProcessors());
        m.put("load_average_1min", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("timing", "times_ms: device time from CUDA events where gpu_timed, else host wall time; wall_ms: host wall time");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("channels", cfg.channels());
        args.put("layers", cfg.layers());
        args.put("image_size", cfg.imageSize());
        args.put("batch", cfg.batch());
        args.put("eval_batch", cfg.evalBatch());
        args.put("modes", cfg.modes().stream().map(BenchMode::key).toList());
        args.put("phases", cfg.phases().stream().map(BenchPhase::key).toList());
        args.put("warmup", cfg.warmup());
        args.put("iters", cfg.iters());
        args.put("min_iters", cfg.minIters());
        args.put("n_batches", cfg.batchesToRotate());
        args.put("budget_seconds", cfg.budgetSeconds());
        args.put("seed", cfg.seed());
        args.put("lr", BenchConfig.LR);
        args.put("momentum", BenchConfig.MOMENTUM);
        args.put("weight_decay", BenchConfig.WEIGHT_DECAY);
        m.put("args", args);
        m.put("param_count", parameterCount(cfg));
        SampledPath p = SampledPath.TORCH_PEER_SEED0;
        m.put("single_path_sample", Map.of("normal", p.shortNames(CellType.NORMAL), "reduce", p.shortNames(CellType.REDUCE)));
        return m;
    }

    /** Supernet weights (alphas excluded), counted on a throwaway CPU supernet. */
    private static long parameterCount(BenchConfig cfg) {
        try (CpuBackend cpu = new CpuBackend(1)) {
            return new SuperNet(cpu, StepWorkload.config(cfg), new Rng(cfg.seed())).parameterCount();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }
}
