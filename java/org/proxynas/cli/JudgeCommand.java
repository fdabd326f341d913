package org.proxynas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.ProgressBar;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas judge RUN --genotype G...}: ranks genotypes by a trained supernet among random ones. */
@Command(name = "judge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score genotypes with the supernet of a finished single-path search run (each trained for one sample",
                "on a copy of the supernet, then validated, as the held-out check does) and rank each among random genotypes."})
public final class JudgeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A search run directory (pvll, evolve or random) with config.json and checkpoint.bin.")
    Path run;

    @Option(names = "--genotype", required = true, arity = "1..*",
            description = "Genotypes to judge: built-in names or genotype files (a file's parent folder names it in the output).")
    List<String> genotypes;

    @Option(names = "--random", defaultValue = "30", description = "Random genotypes to rank against (default: ${DEFAULT-VALUE}).") int random;
    @Option(names = "--seed", defaultValue = "7", description = "Seed of the random genotypes (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--out", required = true, description = "JSON file for the verdicts.") Path out;
    @Mixin BackendOption backend = new BackendOption();

    @Override
    public Integer call() {
        backend.checkSupported();
        if (random < 4) throw new UserError("--random must be >= 4 (a quartile needs four), got " + random);
        ObjectNode saved = SearchCommand.readRunConfig(run);
        SearchConfig cfg = SearchRunConfig.searchConfig(saved, null, run.resolve(RunContext.CONFIG));
        if (cfg.method() == SearchConfig.Method.darts) {
            throw new UserError(run + " is a DARTS run: its supernet was trained as a mixture; judge with a single-path run");
        }
        Checkpoint c = Checkpoint.read(run.resolve(RunContext.CHECKPOINT));
        List<Genotype> gs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String g : genotypes) {
            gs.add(Genotypes.resolve(g));
            Path p = Path.of(g);
            names.add(p.getParent() != null ? p.getParent().getFileName().toString() : g);
        }
        Dataset d = Datasets.load(saved.path("dataset").asText(), saved.hasNonNull("data") ? Path.of(saved.get("data").asText()) : null);
        int threads = backend.threads > 0 ? backend.threads : Runtime.getRuntime().availableProcessors();
        try (Backend b = BackendOption.open(backend.kind, threads, backend.device, System.err)) {
            Path scratch = java.nio.file.Files.createTempDirectory("proxynas-judge");
            ProgressBar bar = ProgressBar.stderr("judging (" + gs.size() + " genotypes, " + random + " random)", gs.size() + random, "archs");
            SupernetJudge.Result r = SupernetJudge.judge(new SearchSetup(cfg, new RunContext(scratch), b, d), c, names, gs, random, seed, bar::update);
            bar.finish();
            JsonFiles.write(out, r);
            for (SupernetJudge.Verdict v : r.verdicts()) {
                System.out.printf(Locale.ROOT, "%-24s loss %.4f; %d of %d random genotypes score lower (quantile %.2f%s)%n", v.name(), v.loss(),
                        v.randomBetter(), v.randomCount(), v.quantile(), v.topQuartile() ? ", top quartile" : "");
            }
        } catch (IOException e) {
            throw new UserError("judge: " + e.getMessage());
        }
        return 0;
    }
}
