package org.proxynas.search;

import org.proxynas.run.AtomicFiles;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.Derivation;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.SampledPath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frame every search method shares: resume from the run's checkpoint, periodic atomic checkpoints of the
 * supernet and the method's own state, and the final outputs (genotype files, alpha, the final metrics record;
 * the caller writes the report from them).
 */
public abstract class SearchMethod {
    public static final String FORMAT = "proxynas-search";

    protected final SearchConfig cfg;
    protected final RunContext ctx;
    protected final PathEvaluator runner;
    private int sinceCheckpoint;
    private SearchResult result;

    protected SearchMethod(SearchConfig cfg, RunContext ctx, PathEvaluator runner) {
        this.cfg = cfg;
        this.ctx = ctx;
        this.runner = runner;
    }

    /** Runs (or, with resume, continues from the checkpoint) to the end. */
    public final SearchResult run(boolean resume) {
        if (resume) restore();
        runPhases();
        return result;
    }

    protected abstract void runPhases();

    protected abstract void saveState(Checkpoint c);

    protected abstract void loadState(Checkpoint c);

    /** Checkpoints every cfg.checkpointEvery units of work, and always when forced. */
    protected final void checkpointMaybe(boolean force) {
        if (++sinceCheckpoint >= cfg.checkpointEvery() || force) {
            sinceCheckpoint = 0;
            Checkpoint c = RunCheckpoint.create(FORMAT, ctx, runner);
            c.header().put("method", cfg.method().name());
            c.header().put("seed", cfg.seed());
            saveState(c);
            c.write(ctx.checkpointFile());
        }
    }

    private void restore() {
        Checkpoint c = RunCheckpoint.read(ctx, FORMAT, "search");
        String method = c.field("method").asText();
        if (!method.equals(cfg.method().name())) {
            throw new Checkpoint.CheckpointException(ctx.checkpointFile() + " belongs to method '" + method + "', the run's config says '" + cfg.method() + "'");
        }
        RunCheckpoint.restore(c, ctx, runner);
        loadState(c);
        ctx.log("resumed from " + ctx.checkpointFile() + " (weight step " + runner.steps() + ")");
    }

    /** Alpha, the sampled path and the derived genotype, as the report reads them from metrics.jsonl. */
    protected static void addArchitecture(Map<String, Object> rec, ArchParams alpha, RelaxedArch sampled) {
        rec.put("alpha_normal", alpha.matrix(CellType.NORMAL));
        rec.put("alpha_reduce", alpha.matrix(CellType.REDUCE));
        if (sampled != null) {
            SampledPath path = sampled.path();
            rec.put("ops_normal", path.opIndices(CellType.NORMAL));
            rec.put("ops_reduce", path.opIndices(CellType.REDUCE));
        }
        Genotype g = Derivation.derive(alpha);
        rec.put("genotype_ops", opCounts(g));
        rec.put("genotype", g.toDartsText());
    }

    static int[] opCounts(Genotype g) {
        int[] counts = new int[Primitive.COUNT];
        for (CellType t : CellType.values()) for (Gene gene : g.genes(t)) counts[gene.op().index()]++;
        return counts;
    }

    /** Derives the genotype from alpha and writes the run's final files. */
    protected final void finish(ArchParams alpha) {
        finish(Derivation.derive(alpha), alpha);
    }

    protected final void finish(Genotype g, ArchParams alpha) {
        AtomicFiles.writeString(ctx.dir().resolve("genotype.txt"), g.toDartsText() + "\n");
        AtomicFiles.writeString(ctx.dir().resolve("genotype.json"), g.toJson() + "\n");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("normal", alpha.matrix(CellType.NORMAL));
        a.put("reduce", alpha.matrix(CellType.REDUCE));
        JsonFiles.write(ctx.dir().resolve("alpha.json"), a);
        ctx.metric(MetricsLog.record("phase", "final", "method", cfg.method().name(), "genotype", g.toDartsText(),
                "alpha_normal", alpha.matrix(CellType.NORMAL), "alpha_reduce", alpha.matrix(CellType.REDUCE),
                "weight_steps", runner.steps(), "elapsed_s", ctx.elapsed()));
        ctx.log("genotype: " + g.toDartsText());
        result = new SearchResult(cfg.method().name(), g, alpha, ctx.elapsed());
    }
}
