package org.proxynas.cli;

import org.proxynas.data.Dataset;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.RunIdentity;
import org.proxynas.search.LabelDiagnostic;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.SearchSetup;
import org.proxynas.search.SupernetWeights;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code proxynas diagnose}: the label diagnostic on its own, before spending a search on a budget. Takes every
 * search option; --diagnose-paths and --diagnose-repeats size it (default 6 x 4 here). Its run directory is a
 * search's (config.json, checkpoint.bin during the warm-up and the label rounds), so `diagnose --resume DIR` continues
 * a stopped one.
 */
@Command(name = SearchCommand.DIAGNOSE, mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label diagnostic: warm the supernet up as a search would (P random paths), then re-measure a few paths"
                + " several times, interleaved with normal training, and print the share of label variance that is the path (with"
                + " and without drift) and what to raise when it is below 0.5. Same options as 'search' (--resume continues a"
                + " stopped diagnostic from its last checkpoint, in the warm-up or the label rounds); writes diagnostic.json, supernet.bin (the warmed-up"
                + " supernet, for search --init-supernet), metrics.jsonl and log.txt into --out (default runs/diagnose-<time>).")
public final class DiagnoseCommand extends SearchCommand {
    static final int DEFAULT_PATHS = 6, DEFAULT_REPEATS = 4;

    @Override
    SearchConfig resolve() {
        int k = diagnosePaths != null ? diagnosePaths : DEFAULT_PATHS, m = diagnoseRepeats != null ? diagnoseRepeats : DEFAULT_REPEATS;
        if (k < 2 || m < 2) throw new UserError("--diagnose-paths and --diagnose-repeats must be >= 2 for diagnose, got " + k + " and " + m);
        // The sizes go into config.json, so a resumed diagnostic measures as many labels as it was started with.
        return super.resolve().toBuilder().diagnosePaths(k).diagnoseRepeats(m).build();
    }

    @Override
    protected String runName(SearchConfig cfg) { return DIAGNOSE; }

    @Override
    protected void execute(SearchConfig cfg, Path dir, RunIdentity id, Dataset d, Backend b, List<String> notes) {
        RunContext ctx = new RunContext(dir);
        ctx.setIdentity(id);
        ctx.log((resume != null ? "resuming" : "starting") + " label diagnostic: " + dir + ", dataset " + d.name() + ", " + b.describe());
        notes.forEach(ctx::log);
        int k = cfg.diagnostics().diagnosePaths(), m = cfg.diagnostics().diagnoseRepeats();
        LabelDiagnostic.Result r;
        try {
            r = LabelDiagnostic.standalone(new SearchSetup(cfg, ctx, b, d), k, m, dir.resolve(SupernetWeights.FILE), resume != null);
        } catch (RuntimeException e) {
            RunFailure.log(ctx, e);
            throw e;
        }
        // diagnostic.json and the metrics record carry the same figures; the file adds the intervals and the configuration.
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("paths", k);
        figures.put("repeats", m);
        figures.put("path_share", r.pathShare());
        figures.put("path_share_drift_removed", r.pathShareDriftRemoved());
        figures.put("path_share_trend_removed", r.pathShareTrendRemoved());
        figures.put("steps_per_sample", cfg.schedule().stepsPerSample());
        figures.put("val_fraction", cfg.data().valFraction());
        figures.put("lr", cfg.supernet().lr());
        figures.put("labels", r.labels());
        figures.put("order", r.order());
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("path_share_ci90", r.pathShareCi());
        json.put("path_share_drift_removed_ci90", r.driftRemovedCi());
        json.put("search", cfg);
        JsonFiles.write(dir.resolve("diagnostic.json"), json);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("phase", "label_diagnostic");
        record.putAll(figures);
        record.put("path_share_low", r.pathShareCi().low());
        record.put("path_share_high", r.pathShareCi().high());
        ctx.metric(record);
        ctx.log(r.summary());
        System.out.println(r.summary());
        if (r.low()) System.out.println(r.advice());
        else System.out.printf(Locale.ROOT, "the path explains at least %.0f%% of the label variance at this budget%n", 100 * LabelDiagnostic.LOW);
    }
}
