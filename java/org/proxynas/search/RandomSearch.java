package org.proxynas.search;

import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.ProgressBar;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeText;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RandomArchitectures;
import org.proxynas.space.Relaxation;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.LossStats;

import java.util.List;
import java.util.Map;

/**
 * The random-search baseline in the same harness: the shared supernet is trained on uniformly sampled single
 * paths for as many samples as PVLL trains (2P + E_s), then P + E_s uniformly random genotypes (as many
 * validation passes as PVLL makes) are scored by the supernet's validation loss; the best one wins.
 */
public final class RandomSearch extends SearchMethod {
    private final Relaxation relaxation;
    private final Rng noiseRng, candidateRng;
    private int index;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private String best;

    RandomSearch(SearchSetup setup) {
        super(setup.config(), setup.context(), setup.runner());
        this.relaxation = new Relaxation(cfg.alpha().temperature());
        Rng root = setup.rootRng();
        this.noiseRng = root.split();
        this.candidateRng = root.split();
    }

    private int trainSamples() { return 2 * cfg.schedule().warmupSamples() + cfg.schedule().iterations(); }
    private int candidates() { return cfg.schedule().warmupSamples() + cfg.schedule().iterations(); }

    @Override
    protected void runPhases() {
        ProgressBar bar = ProgressBar.stderr("random: supernet on uniform paths", trainSamples(), "samples");
        while (index < trainSamples()) {
            // alpha = 0 with Gumbel noise: every op equally likely on every edge.
            SampledPath path = relaxation.relax(ArchParams.zeros(), GumbelNoise.draw(noiseRng)).path();
            SupernetRunner.TrainStats t = runner.trainPath(path, (float) cfg.supernet().lr(), null);
            ctx.metric(MetricsLog.record("phase", "warmup", "sample", index, "train_loss", t.loss(), "train_acc", t.accuracy(),
                    "elapsed_s", ctx.elapsed()));
            index++;
            bar.update(index);
            checkpointMaybe(index == trainSamples());
        }
        ProgressBar scoring = ProgressBar.stderr("random: scoring " + candidates() + " genotypes", candidates(), "genotypes");
        while (index < trainSamples() + candidates()) {
            int i = index - trainSamples();
            Genotype g = RandomArchitectures.genotype(candidateRng);
            LossStats v = runner.validate(SampledPath.fromGenotype(g));
            if (v.loss() < bestLoss) {
                bestLoss = v.loss();
                best = g.toDartsText();
            }
            Map<String, Object> rec = MetricsLog.record("phase", "search", "candidate", i, "val_loss", v.loss(), "val_acc", v.accuracy(),
                    "best_val_loss", bestLoss, "genotype", g.toDartsText(), "genotype_ops", opCounts(g), "elapsed_s", ctx.elapsed());
            ctx.metric(rec);
            index++;
            scoring.update(i + 1);
            checkpointMaybe(index == trainSamples() + candidates());
        }
        Genotype g = GenotypeText.parse(best);
        finish(g, oneHot(g));
    }

    /** Alpha with 1 on each chosen (edge, op), for the report's heat maps. */
    private static ArchParams oneHot(Genotype g) {
        ArchParams a = ArchParams.zeros();
        for (CellType cell : CellType.values()) {
            List<Gene> genes = g.genes(cell);
            for (int slot = 0; slot < genes.size(); slot++) {
                int edge = org.proxynas.space.CellTopology.edgeIndex(slot / 2, genes.get(slot).input());
                a.set(cell, edge, genes.get(slot).op().index(), 1f);
            }
        }
        return a;
    }

    @Override
    protected void saveState(Checkpoint c) {
        c.header().put("index", index);
        c.header().set("noise_rng", c.json().valueToTree(noiseRng.state()));
        c.header().set("candidate_rng", c.json().valueToTree(candidateRng.state()));
        c.header().put("best_loss", bestLoss);
        if (best != null) c.header().put("best", best);
    }

    @Override
    protected void loadState(Checkpoint c) {
        index = c.field("index").asInt();
        noiseRng.setState(ProxySearch.longs(c.field("noise_rng")));
        candidateRng.setState(ProxySearch.longs(c.field("candidate_rng")));
        bestLoss = c.field("best_loss").asDouble();
        best = c.header().hasNonNull("best") ? c.header().get("best").asText() : null;
    }
}
