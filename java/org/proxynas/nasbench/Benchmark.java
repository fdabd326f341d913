package org.proxynas.nasbench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.run.JsonFiles;

/**
 * Runs every (method, seed) unit of a {@link BenchmarkConfig} into a run directory, {@code threads} units at a
 * time, each single-threaded with its own oracle instance and CPU backend, so a unit's lines depend only on its
 * method, seed and settings. Finished units are kept on a rerun with the same directory (resume); the summary and
 * report are always rebuilt from the unit files, so a resumed run ends with the same summary as an uninterrupted one.
 * One progress line per finished unit, with elapsed time and an ETA.
 */
public final class Benchmark {
    private final BenchmarkConfig cfg;
    private final Path dir;
    private final Supplier<Oracle> oracles;
    private final PrintStream log;

    public Benchmark(BenchmarkConfig cfg, Path dir, Supplier<Oracle> oracles, PrintStream log) {
        this.cfg = cfg;
        this.dir = dir;
        this.oracles = oracles;
        this.log = log;
    }

    /** Runs the missing units, then writes results.jsonl, summary.json, timing.json and report.html. */
    public Summary run() {
        checkConfig();
        List<Method> pendingMethods = new ArrayList<>();
        List<Long> pendingSeeds = new ArrayList<>();
        for (Method m : cfg.methods()) {
            for (long s : cfg.seeds()) {
                if (!Files.exists(UnitFiles.path(dir, m, s))) {
                    pendingMethods.add(m);
                    pendingSeeds.add(s);
                }
            }
        }
        int total = cfg.methods().size() * cfg.seeds().size();
        if (pendingMethods.size() < total) log.printf(Locale.ROOT, "resuming %s: %d of %d units already done%n", dir, total - pendingMethods.size(), total);
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ThreadLocal<Oracle> oracle = ThreadLocal.withInitial(oracles);
        List<Oracle> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < pendingMethods.size(); i++) {
                Method m = pendingMethods.get(i);
                long seed = pendingSeeds.get(i);
                futures.add(pool.submit(() -> {
                    Oracle o = oracle.get();
                    if (!opened.contains(o)) opened.add(o);
                    long t0 = System.nanoTime();
                    Map<String, Object> stats = new LinkedHashMap<>();
                    UnitResult u = runUnit(m, seed, o, stats);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    stats.put("seconds", secs);
                    stats.put("queries", u.records().size());
                    JsonFiles.write(dir.resolve("units").resolve(m.id()).resolve("seed-" + seed + ".timing.json"), stats);
                    UnitFiles.write(dir, u);
                    int d = done.incrementAndGet();
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double eta = elapsed / d * (pendingMethods.size() - d);
                    log.printf(Locale.ROOT, "[%d/%d] %s: best %.4f after %d queries, %.1f s; elapsed %s, ETA %s%n", d, pendingMethods.size(), u.name(),
                            u.bestAfter(cfg.queries()), u.records().size(), secs, clock(elapsed), clock(eta));
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            for (Oracle o : opened) o.close();
        }
        List<UnitResult> units = new ArrayList<>();
        for (Method m : cfg.methods()) for (long s : cfg.seeds()) units.add(UnitFiles.read(dir, m, s));
        StringBuilder all = new StringBuilder();
        for (UnitResult u : units) all.append(UnitFiles.lines(u));
        org.proxynas.run.AtomicFiles.writeString(dir.resolve("results.jsonl"), all.toString());
        Summary summary = Summary.of(cfg, units);
        JsonFiles.write(dir.resolve("summary.json"), summary.toJson());
        BenchmarkReport.write(dir, cfg, summary, timings());
        return summary;
    }

    /** One unit: a fresh strategy, session and single-threaded CPU backend. */
    UnitResult runUnit(Method m, long seed, Oracle oracle, Map<String, Object> stats) {
        QuerySession session = new QuerySession(oracle, cfg.queries());
        try (CpuBackend backend = new CpuBackend(1)) {
            Strategy s = m.create(cfg.pvll(), backend);
            try {
                s.run(session, new Rng(seed));
            } catch (QuerySession.BudgetSpent ignored) {
                // the normal end of a method
            }
            if (s instanceof PvllStrategy p) stats.putAll(p.fitStats());
        }
        return new UnitResult(m, seed, session.records());
    }

    /** Per method: total and mean seconds per unit and, for PVLL, regressor-fit seconds (from the timing files). */
    private Map<String, Map<String, Double>> timings() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Method m : cfg.methods()) {
            double secs = 0, fit = 0;
            int n = 0;
            for (long s : cfg.seeds()) {
                Path p = dir.resolve("units").resolve(m.id()).resolve("seed-" + s + ".timing.json");
                if (!Files.exists(p)) continue;
                JsonNode t = JsonFiles.read(p);
                secs += t.path("seconds").asDouble();
                fit += t.path("fit_seconds").asDouble();
                n++;
            }
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("units", (double) n);
            row.put("seconds_total", secs);
            row.put("seconds_per_unit", n == 0 ? Double.NaN : secs / n);
            row.put("fit_seconds_per_unit", n == 0 ? Double.NaN : fit / n);
            out.put(m.id(), row);
        }
        JsonFiles.write(dir.resolve("timing.json"), out);
        return out;
    }

    /** config.json records what the directory holds; a rerun with other settings is refused rather than mixed in. */
    private void checkConfig() {
        Path p = dir.resolve("config.json");
        try {
            // compared as parsed text: a tree built from Java values holds longs where the parsed file holds ints
            JsonNode want = JsonFiles.mapper().readTree(JsonFiles.mapper().writeValueAsString(configMap()));
            if (Files.exists(p)) {
                JsonNode have = JsonFiles.read(p);
                if (!have.equals(want)) {
                    List<String> diff = new ArrayList<>();
                    differences("", want, have, diff);
                    throw new IllegalArgumentException(p + " holds a different benchmark: " + String.join("; ", diff.subList(0, Math.min(5, diff.size())))
                            + (diff.size() > 5 ? "; and " + (diff.size() - 5) + " more" : "") + "; use another --out or the same options");
                }
            } else {
                // Without config.json the folder holds no benchmark: only a new or empty one is used, so nothing mixes.
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        List<String> names = s.map(f -> f.getFileName().toString()).sorted().limit(3).toList();
                        if (!names.isEmpty()) {
                            throw new IllegalArgumentException("--out " + dir + " is not empty (e.g. " + String.join(", ", names)
                                    + ") and holds no benchmark (no config.json): give a new folder, or the folder of the benchmark to resume");
                        }
                    }
                } else if (Files.exists(dir)) {
                    throw new IllegalArgumentException("--out " + dir + " exists and is a file, not a folder");
                }
                Files.createDirectories(dir);
                JsonFiles.write(p, configMap());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Where the directory's config.json differs from this run's: "field 'queries': this run 12, the directory 13". */
    private static void differences(String path, JsonNode want, JsonNode have, List<String> out) {
        if (want != null && want.isObject() && have != null && have.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            want.fieldNames().forEachRemaining(names::add);
            have.fieldNames().forEachRemaining(names::add);
            for (String f : names) differences(path.isEmpty() ? f : path + "." + f, want.get(f), have.get(f), out);
        } else if (want == null || !want.equals(have)) {
            out.add("field '" + (path.isEmpty() ? "(top level)" : path) + "': this run " + (want == null ? "has none" : want)
                    + ", the directory " + (have == null ? "has none" : have));
        }
    }

    /** Everything that determines the unit files (threads do not). */
    private Map<String, Object> configMap() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("oracle", cfg.oracle());
        c.put("methods", cfg.methods().stream().map(Method::id).toList());
        c.put("seeds", cfg.seeds());
        c.put("queries", cfg.queries());
        c.put("query_counting", "unique genotypes (a repeat is answered from the cache and costs nothing)");
        c.put("pvll", cfg.pvll());
        return c;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
