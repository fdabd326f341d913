package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.report.RunReport;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.RunIdentity;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.SearchResult;
import org.proxynas.search.SearchSetup;
import org.proxynas.search.Searches;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas search}: PVLL-NAS and the baselines, resumable, into a run directory. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search the DARTS cell space: PVLL-NAS (differentiable, default), its evolutionary variant, or the",
                "DARTS and random baselines, into a run directory with checkpoints, plots and report.html."})
public class SearchCommand implements Callable<Integer> {
    public static final String CONFIG_FORMAT = "proxynas-search-config";
    static final String DIAGNOSE = "diagnose";

    @Option(names = "--preset", defaultValue = "demo",
            description = "demo (minutes on 2 CPU cores, embedded data) or paper (the reference defaults on CIFAR-10). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--method", description = "pvll (default), evolve, darts or random.") String method;
    @Option(names = "--regressor", description = "Proxy regressor: lstm (default), gae, or ridge (a linear model fitted exactly at every iteration; ignores the regressor epochs and learning rate).") String regressor;
    @Option(names = "--oiw", negatable = true, description = "Operation importance weights scale the Gumbel noise (default: off).") Boolean oiw;
    @Option(names = "--warmup-samples", description = "P: random paths for supernet warm-up and the initial memory.") Integer warmupSamples;
    @Option(names = "--iterations", description = "E_s: search iterations.") Integer iterations;
    @Option(names = "--regressor-warmup", description = "Regressor epochs before the search.") Integer regressorWarmup;
    @Option(names = "--regressor-epochs", description = "Most regressor epochs per iteration (early stop at --tau-stop).") Integer regressorEpochs;
    @Option(names = "--tau-stop", description = "Kendall tau-b that stops regressor training early.") Double tauStop;
    @Option(names = "--memory", description = "Memory capacity (FIFO).") Integer memory;
    @Option(names = "--batch", description = "Training batch size.") Integer batch;
    @Option(names = "--eval-batch", description = "Validation batch size.") Integer evalBatch;
    @Option(names = "--lr", description = "Supernet SGD learning rate (cosine to --lr-min over the search).") Double lr;
    @Option(names = "--lr-min", description = "Final supernet learning rate.") Double lrMin;
    @Option(names = "--momentum", description = "Supernet SGD momentum.") Double momentum;
    @Option(names = "--weight-decay", description = "Supernet SGD weight decay.") Double weightDecay;
    @Option(names = "--grad-clip", description = "Supernet gradient-norm clip.") Double gradClip;
    @Option(names = "--temperature", description = "Gumbel-softmax temperature tau.") Double temperature;
    @Option(names = "--alpha-lr", description = "Adam learning rate of alpha (paper: 3e-4; demo: 1e-1, but 3e-4 for --method darts, which steps alpha before every weight step).") Double alphaLr;
    @Option(names = "--alpha-weight-decay", description = "L2 weight decay of alpha.") Double alphaWeightDecay;
    @Option(names = "--regressor-lr", description = "Adam learning rate of the regressor.") Double regressorLr;
    @Option(names = "--steps-per-sample", description = "Mini-batches per sampled path; 0 = a full epoch (the reference).") Integer stepsPerSample;
    @Option(names = "--data-fraction", description = "Fraction of each half of the training set used.") Double dataFraction;
    @Option(names = "--val-fraction", description = "Fraction of the validation half scored per validation pass.") Double valFraction;
    @Option(names = "--val-batch-stats", negatable = true,
            description = "Validate with batch statistics instead of BN running statistics (demo: on; reference: off).") Boolean valBatchStats;
    @Option(names = "--init-supernet", paramLabel = "FILE",
            description = "Start from the warmed-up supernet in FILE (the supernet.bin `proxynas diagnose` writes) instead of random weights, so several searches share one long warm-up.")
    Path initSupernet;
    @Option(names = "--channels", description = "Supernet channels C.") Integer channels;
    @Option(names = "--layers", description = "Supernet cells L.") Integer layers;
    @Option(names = "--gae-file", description = "A pretrained GAE (proxynas pretrain-gae); without it --regressor gae pretrains one first.") Path gaeFile;
    @Option(names = "--gae-pretrain-archs", description = "Random architectures for GAE pretraining (a quarter more for validation).") Integer gaePretrainArchs;
    @Option(names = "--gae-pretrain-epochs", description = "GAE pretraining epochs.") Integer gaePretrainEpochs;
    @Option(names = "--heldout", description = "After the search, score this many fresh samples around the final alpha, each trained as a memory sample from a copy of the supernet: the proxy's Kendall tau on architectures it never saw.") Integer heldout;
    @Option(names = "--diagnose-paths", description = "Label diagnostic after the search: paths re-measured to split label variance into path and noise (0 = off).") Integer diagnosePaths;
    @Option(names = "--diagnose-repeats", description = "Label diagnostic: measurements of each path.") Integer diagnoseRepeats;
    @Option(names = "--seed", description = "Random seed.") Long seed;
    @Option(names = "--checkpoint-every", description = "Checkpoint every N samples or iterations.") Integer checkpointEvery;

    @Mixin DataOptions data = new DataOptions();
    @Mixin BackendOption backend = new BackendOption();
    @Mixin TrialOutput trial = new TrialOutput();

    @Option(names = "--out", description = "Run directory (default: runs/<method>-<time>).") Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the stopped run in DIR from its last checkpoint (its config.json fixes every other option; only --threads, --backend, --device and --checkpoint-every may be given).")
    Path resume;

    @Option(names = "--force", description = "Replace a non-empty --out folder: the new run is built beside it and renamed into place.")
    boolean force;

    @Spec CommandSpec spec;

    /** The method this command runs when --method is absent. */
    protected String defaultMethod() { return "pvll"; }

    /** A resumed run's method, checked against this command ('evolve --resume' takes evolve runs only). */
    protected void checkResumedMethod(Path dir, SearchConfig.Method method) {}

    @Override
    public Integer call() {
        backend.checkSupported();
        return resume != null ? resumeRun() : newRun();
    }

    /** Everything is checked before the run directory appears (RunChecks, RunDirectory.check). */
    private int newRun() {
        SearchConfig cfg = resolve();
        int threads = backend.threads > 0 ? backend.threads : Runtime.getRuntime().availableProcessors();
        Path target = RunDirectory.check(out, runName(cfg), force);
        Dataset d = data.load();
        RunChecks.searchSplit(d, cfg);
        RunChecks.searchMemory(d, cfg);
        RunChecks.initSupernet(cfg, d);
        RunIdentity id = RunIdentity.start(SearchRunConfig.identity(cfg, data.dataset, data.dataDir));
        try (Backend b = BackendOption.open(backend.kind, threads, backend.device, System.err)) {
            RunChecks.gaeFile(cfg, b);
            ObjectNode c = JsonFiles.mapper().createObjectNode();
            c.put("format", CONFIG_FORMAT);
            c.put("version", SearchRunConfig.VERSION);
            c.put("command", spec.name());
            c.put("proxynas", VersionProvider.version());
            id.stamp(c);
            c.set("search", JsonFiles.mapper().valueToTree(cfg));
            c.put("dataset", data.dataset);
            c.put("data", data.dataDir == null ? null : data.dataDir.toAbsolutePath().toString());
            c.put("threads", threads);
            // What a resume reopens: the emulation's backend is named "cuda" too, and must not resume on a GPU.
            c.put("backend", backend.kind == BackendOption.Kind.emulated ? "emulated" : b.name());
            try (RunDirectory dir = RunDirectory.create(target, staging -> JsonFiles.write(staging.resolve(RunContext.CONFIG), c))) {
                execute(cfg, dir.path(), id, d, b, List.of());
            }
        }
        return 0;
    }

    private int resumeRun() {
        Path dir = resume;
        ObjectNode saved = readRunConfig(dir);
        // A diagnose run and a search share the configuration format; each resumes only with its own command.
        boolean diagnoseRun = DIAGNOSE.equals(saved.path("command").asText()), diagnoseNow = DIAGNOSE.equals(spec.name());
        if (diagnoseRun != diagnoseNow) {
            String right = diagnoseRun ? DIAGNOSE : "search";
            throw new UserError("--resume " + dir + " is a " + right + " run; resume it with '" + right + " --resume " + dir + "'");
        }
        List<String> overrides = ResumeCheck.overrides(spec, dir);
        Path configFile = dir.resolve(RunContext.CONFIG);
        SearchConfig cfg = SearchRunConfig.searchConfig(saved, checkpointEvery, configFile);
        checkResumedMethod(dir, cfg.method());
        String datasetName = saved.path("dataset").asText();
        Path dataDir = saved.hasNonNull("data") ? Path.of(saved.get("data").asText()) : null;
        // The CPU backend is bit-reproducible for a fixed thread count, so a resume uses the run's count unless
        // --threads overrides it; it also stays on the backend the run started on (auto resolved to what it chose).
        int threads = backend.threads > 0 ? backend.threads : saved.path("threads").asInt(0);
        BackendOption.Kind kind = overrides.stream().anyMatch(o -> o.startsWith("--backend")) ? backend.kind : savedBackend(dir, saved);
        Path checkpointFile = dir.resolve(RunContext.CHECKPOINT);
        if (!Files.exists(checkpointFile)) {
            throw new UserError(dir + " has no " + RunContext.CHECKPOINT + " yet (it stopped before its first checkpoint); start a new run");
        }
        ObjectNode content = SearchRunConfig.identity(saved);
        String legacy = ResumeCheck.identity(dir, saved, content, Checkpoint.read(checkpointFile), checkpointFile, configFile);
        RunIdentity id = legacy != null ? null : new RunIdentity(saved.get(RunIdentity.RUN_ID).asText(), RunIdentity.hash(content), content);
        if (!Datasets.NAMES.contains(datasetName)) throw new UserError(configFile + ": field 'dataset' must be one of " + Datasets.NAMES + ", got '" + datasetName + "'");
        Dataset d = Datasets.load(datasetName, dataDir);
        RunChecks.searchSplit(d, cfg);
        RunChecks.searchMemory(d, cfg);
        List<String> notes = new ArrayList<>(overrides.stream().map(o -> "resume override: " + o).toList());
        if (legacy != null) notes.add(legacy);
        try (RunDirectory owned = RunDirectory.resume(dir); Backend b = BackendOption.open(kind, threads, backend.device, System.err)) {
            RunChecks.gaeFile(cfg, b);
            execute(cfg, owned.path(), id, d, b, notes);
        }
        return 0;
    }

    /** The default run directory's name prefix (runs/NAME-time). */
    protected String runName(SearchConfig cfg) { return cfg.method().name(); }

    /** Runs (or with --resume continues) the work in dir, which holds its config.json. */
    protected void execute(SearchConfig cfg, Path dir, RunIdentity id, Dataset d, Backend b, List<String> notes) {
        RunContext ctx = new RunContext(dir);
        ctx.setIdentity(id);
        ctx.log(String.format(Locale.ROOT, "%s %s: %s, dataset %s (%d train / %d test), %s", resume != null ? "resuming" : "starting",
                cfg.method(), dir, d.name(), d.train().size(), d.test().size(), b.describe()));
        notes.forEach(ctx::log);
        SearchResult r;
        try {
            SearchSetup setup = new SearchSetup(cfg, ctx, b, d);
            r = Searches.create(setup).run(resume != null);
        } catch (RuntimeException e) {
            RunFailure.log(ctx, e);
            throw e;
        }
        writeReport(ctx);
        System.out.println(r.genotype().toDartsText());
        System.out.printf(Locale.ROOT, "%s search finished in %.0f s; run directory %s (report.html, genotype.json, metrics.jsonl)%n",
                r.method(), r.seconds(), dir);
        trial.searchFinished(dir, r.genotype(), System.out);
    }

    /** The finished run's report; a run whose report cannot be drawn has still succeeded, so this only warns. */
    private static void writeReport(RunContext ctx) {
        try {
            RunReport.generate(ctx.dir());
        } catch (RuntimeException e) {
            ctx.log("warning: the report could not be generated: " + e.getMessage());
        }
    }

    /** The backend a run's config.json records (runs from before the field existed ran on the CPU). */
    private static BackendOption.Kind savedBackend(Path dir, ObjectNode saved) {
        String name = saved.path("backend").asText("cpu");
        try {
            BackendOption.Kind k = BackendOption.Kind.valueOf(name);
            if (k != BackendOption.Kind.auto) return k;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UserError(dir.resolve(RunContext.CONFIG) + ": field 'backend' must be cpu, cuda or emulated, got '" + name + "'");
    }

    static ObjectNode readRunConfig(Path dir) {
        if (!Files.isDirectory(dir)) throw new UserError("--resume " + dir + ": no such run directory");
        Path file = dir.resolve(RunContext.CONFIG);
        if (!Files.exists(file)) throw new UserError("--resume " + dir + ": not a ProxyNAS search run (no " + RunContext.CONFIG + ")");
        JsonNode n = JsonFiles.read(file);
        if (!(n instanceof ObjectNode o) || !CONFIG_FORMAT.equals(n.path("format").asText())) {
            throw new UserError(file + ": not a ProxyNAS search configuration (field 'format' is not '" + CONFIG_FORMAT + "')");
        }
        return o;
    }

    SearchConfig resolve() {
        SearchConfig p = switch (preset) {
            case "demo" -> SearchConfig.demo();
            case "paper" -> SearchConfig.paper();
            default -> throw new UserError("--preset must be demo or paper, got '" + preset + "'");
        };
        if (preset.equals("paper") && data.dataset.equals("default")) data.dataset = "cifar10";
        SearchConfig.Method m = SearchConfig.Method.parse(or(method, defaultMethod()));
        SearchConfig.Builder b = p.toBuilder().method(m);
        // The demo's faster alpha step is PVLL's (a few dozen proxy steps); DARTS steps alpha before every weight step
        // and keeps its published rate in every preset (at 1e-1 one 40-step iteration drove alpha entries to 1.27).
        if (m == SearchConfig.Method.darts) b.alphaLr(SearchConfig.paper().alpha().alphaLr());
        if (regressor != null) b.regressor(SearchConfig.RegressorKind.parse(regressor));
        if (regressor != null && SearchConfig.RegressorKind.parse(regressor) == SearchConfig.RegressorKind.ridge) {
            // an option that cannot act is refused rather than ignored
            if (regressorLr != null) throw new UserError("--regressor-lr does not apply to --regressor ridge: it is fitted exactly, without an optimiser");
            if (regressorEpochs != null) throw new UserError("--regressor-epochs does not apply to --regressor ridge: it is fitted exactly once per iteration");
            if (tauStop != null) throw new UserError("--tau-stop does not apply to --regressor ridge: it is fitted exactly once per iteration");
        }
        if (gaeFile != null) b.gaeFile(gaeFile.toAbsolutePath().toString());
        if (initSupernet != null) b.initWeights(initSupernet.toAbsolutePath().toString());
        given(seed, b::seed);
        given(checkpointEvery, b::checkpointEvery);
        given(warmupSamples, b::warmupSamples);
        given(iterations, b::iterations);
        given(stepsPerSample, b::stepsPerSample);
        given(channels, b::channels);
        given(layers, b::layers);
        given(lr, b::lr);
        given(lrMin, b::lrMin);
        given(momentum, b::momentum);
        given(weightDecay, b::weightDecay);
        given(gradClip, b::gradClip);
        given(dataFraction, b::dataFraction);
        given(valFraction, b::valFraction);
        given(batch, b::batch);
        given(evalBatch, b::evalBatch);
        given(valBatchStats, b::valBatchStats);
        given(oiw, b::oiw);
        given(temperature, b::temperature);
        given(alphaLr, b::alphaLr);
        given(alphaWeightDecay, b::alphaWeightDecay);
        given(memory, b::memoryCapacity);
        given(regressorWarmup, b::regressorWarmupEpochs);
        given(regressorEpochs, b::regressorMaxEpochs);
        given(tauStop, b::tauStop);
        given(regressorLr, b::regressorLr);
        given(gaePretrainArchs, b::gaePretrainArchs);
        given(gaePretrainEpochs, b::gaePretrainEpochs);
        given(heldout, b::heldoutSamples);
        given(diagnosePaths, b::diagnosePaths);
        given(diagnoseRepeats, b::diagnoseRepeats);
        return b.build();
    }

    private static <T> T or(T value, T fallback) { return value != null ? value : fallback; }

    /** An option given on the command line replaces the preset's value. */
    private static <T> void given(T value, java.util.function.Consumer<T> set) {
        if (value != null) set.accept(value);
    }
}
