package org.proxynas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.RunIdentity;
import org.proxynas.run.ProgressBar;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.JudgeProgress;
import org.proxynas.search.SearchSetup;
import org.proxynas.search.SupernetJudge;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas judge RUN --genotype G...}: ranks genotypes by a trained supernet among random ones. */
@Command(name = "judge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rank genotypes among random ones by a trained supernet: RUN's final one, or with --supernet a supernet.bin "
                + "such as the warmed one several searches started from (each genotype is trained for one sample on a copy of the "
                + "supernet, then validated, as the held-out check does).")
public final class JudgeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A search run directory with config.json: its checkpoint.bin is the judge (a pvll, "
            + "evolve or random run), or with --supernet it only supplies the data, sizes and learning rate (any method).")
    Path run;

    @Option(names = "--supernet", paramLabel = "FILE", description = "Judge with this supernet.bin (`proxynas diagnose` writes one) instead of "
            + "RUN's final supernet; its optimiser starts without momentum.")
    Path supernet;

    @Option(names = "--genotype", required = true, arity = "1..*",
            description = "Genotypes to judge: built-in names or genotype files (a file's parent folder names it in the output).")
    List<String> genotypes;

    @Option(names = "--random", defaultValue = "30", description = "Random genotypes to rank against (default: ${DEFAULT-VALUE}).") int random;
    @Option(names = "--seed", defaultValue = "7", description = "Seed of the random genotypes (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--out", required = true, description = "JSON file for the verdicts. Until it is written, the losses measured so far are "
            + "kept in FILE.progress, and a judge started again with the same --out and supernet continues from them.") Path out;
    @Mixin BackendOption backend = new BackendOption();

    @Override
    public Integer call() {
        backend.checkSupported();
        if (random < 4) throw new UserError("--random must be >= 4 (a quartile needs four), got " + random);
        ObjectNode saved = SearchCommand.readRunConfig(run);
        SearchConfig cfg = SearchRunConfig.searchConfig(saved, null, run.resolve(RunContext.CONFIG));
        if (supernet == null && cfg.method() == SearchConfig.Method.darts) {
            throw new UserError(run + " is a DARTS run: its supernet was trained as a mixture; judge with a single-path run or --supernet FILE");
        }
        Checkpoint c = supernet == null ? Checkpoint.read(run.resolve(RunContext.CHECKPOINT)) : null;
        List<Genotype> gs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String g : genotypes) {
            gs.add(Genotypes.resolve(g));
            Path p = Path.of(g);
            names.add(p.getParent() != null ? p.getParent().getFileName().toString() : g);
        }
        Dataset d = Datasets.load(saved.path("dataset").asText(), saved.hasNonNull("data") ? Path.of(saved.get("data").asText()) : null);
        Checkpoint weights = supernet == null ? null : RunChecks.supernetFile(supernet, "--supernet", cfg, d);
        int threads = backend.threads > 0 ? backend.threads : Runtime.getRuntime().availableProcessors();
        Path scratch = null;
        try (Backend b = BackendOption.open(backend.kind, threads, backend.device, System.err)) {
            scratch = Files.createTempDirectory("proxynas-judge");
            // The judge's weights come from c or --supernet, never from the file the run started from.
            SearchSetup setup = new SearchSetup(cfg.toBuilder().initWeights(null).build(), new RunContext(scratch), b, d);
            SupernetJudge judge = c != null ? SupernetJudge.ofRun(setup, c, run.resolve(RunContext.CHECKPOINT).toString())
                    : SupernetJudge.ofWeights(setup, weights, supernet.toString());
            Path judgingFile = c != null ? run.resolve(RunContext.CHECKPOINT) : supernet;
            JudgeProgress progress = JudgeProgress.open(progressFile(out), judgingFile, saved.path(RunIdentity.CONFIG_HASH).asText(),
                    judge.lr(), System.err);
            ProgressBar bar = ProgressBar.stderr("judging (" + gs.size() + " genotypes, " + random + " random)", gs.size() + random, "archs");
            SupernetJudge.Result r = judge.judge(names, gs, random, seed, bar::update, progress);
            bar.finish();
            JsonFiles.write(out, r);
            progress.delete();
            for (SupernetJudge.Verdict v : r.verdicts()) {
                System.out.printf(Locale.ROOT, "%-24s loss %.4f; %d of %d random genotypes score lower (quantile %.2f%s)%n", v.name(), v.loss(),
                        v.randomBetter(), v.randomCount(), v.quantile(), v.topQuartile() ? ", top quartile" : "");
            }
        } catch (IOException e) {
            throw new UserError("judge: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try {
                    RunDirectory.deleteTree(scratch);
                } catch (IOException ignored) {
                    // a temporary folder left behind costs nothing; the verdicts are written
                }
            }
        }
        return 0;
    }

    /** Where a judge keeps the losses measured so far, until its verdicts are written. */
    static Path progressFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".progress");
    }
}
