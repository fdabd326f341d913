package org.proxynas.cli;

import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.run.JsonFiles;
import org.proxynas.search.LabelDiagnostic;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.SearchSetup;
import org.proxynas.search.SupernetWeights;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code proxynas diagnose}: the label diagnostic on its own, before spending a search on a budget. Takes every
 * search option; --diagnose-paths and --diagnose-repeats size it (default 6 x 4 here).
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label diagnostic: warm the supernet up as a search would (P random paths), then re-measure a few paths"
                + " several times, interleaved with normal training, and print the share of label variance that is the path (with"
                + " and without drift) and what to raise when it is below 0.5. Same options as 'search'; writes diagnostic.json,"
                + " supernet.bin (the warmed-up supernet, for search --init-supernet), metrics.jsonl and log.txt into --out"
                + " (default runs/diagnose-<time>).")
public final class DiagnoseCommand extends SearchCommand {
    static final int DEFAULT_PATHS = 6, DEFAULT_REPEATS = 4;

    @Override
    public Integer call() {
        backend.checkSupported();
        if (resume != null) throw new UserError("diagnose does not resume; run it again");
        SearchConfig cfg = resolve();
        int k = diagnosePaths != null ? diagnosePaths : DEFAULT_PATHS, m = diagnoseRepeats != null ? diagnoseRepeats : DEFAULT_REPEATS;
        if (k < 2 || m < 2) throw new UserError("--diagnose-paths and --diagnose-repeats must be >= 2 for diagnose, got " + k + " and " + m);
        if (!Datasets.NAMES.contains(data.dataset)) throw new UserError("--dataset must be one of " + Datasets.NAMES + ", got '" + data.dataset + "'");
        Dataset d = Datasets.load(data.dataset, data.dataDir);
        RunChecks.initSupernet(cfg, d);
        int threads = backend.threads > 0 ? backend.threads : Runtime.getRuntime().availableProcessors();
        try (Backend b = BackendOption.open(backend.kind, threads, backend.device, System.err)) {
            RunContext ctx = new RunContext(RunDirs.create(out, "diagnose"));
            ctx.log("label diagnostic: " + ctx.dir() + ", dataset " + d.name() + ", " + b.describe());
            LabelDiagnostic.Result r = LabelDiagnostic.standalone(new SearchSetup(cfg, ctx, b, d), k, m,
                    ctx.dir().resolve(SupernetWeights.FILE));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("paths", k);
            json.put("repeats", m);
            json.put("path_share", r.pathShare());
            json.put("path_share_drift_removed", r.pathShareDriftRemoved());
            json.put("path_share_trend_removed", r.pathShareTrendRemoved());
            json.put("path_share_ci90", r.pathShareCi());
            json.put("path_share_drift_removed_ci90", r.driftRemovedCi());
            json.put("steps_per_sample", cfg.schedule().stepsPerSample());
            json.put("val_fraction", cfg.data().valFraction());
            json.put("lr", cfg.supernet().lr());
            json.put("labels", r.labels());
            json.put("order", r.order());
            json.put("search", cfg);
            JsonFiles.write(ctx.dir().resolve("diagnostic.json"), json);
            ctx.metric(org.proxynas.run.MetricsLog.record("phase", "label_diagnostic", "paths", k, "repeats", m, "path_share", r.pathShare(),
                    "path_share_drift_removed", r.pathShareDriftRemoved(),
                    "path_share_trend_removed", r.pathShareTrendRemoved(), "path_share_low", r.pathShareCi().low(),
                    "path_share_high", r.pathShareCi().high(), "steps_per_sample", cfg.schedule().stepsPerSample(),
                    "val_fraction", cfg.data().valFraction(), "lr", cfg.supernet().lr(), "labels", r.labels(), "order", r.order()));
            ctx.log(r.summary());
            System.out.println(r.summary());
            if (r.low()) System.out.println(r.advice());
            else System.out.printf(java.util.Locale.ROOT, "the path explains at least %.0f%% of the label variance at this budget%n", 100 * LabelDiagnostic.LOW);
        }
        return 0;
    }
}
