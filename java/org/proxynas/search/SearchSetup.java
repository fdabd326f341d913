package org.proxynas.search;

import org.proxynas.data.Dataset;
import org.proxynas.data.ImageSet;
import org.proxynas.data.Split;
import org.proxynas.data.Splits;
import org.proxynas.nn.SuperNet;
import org.proxynas.nn.SuperNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.tensor.Backend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything a search method stands on, built in a fixed order from the seed so a resumed run rebuilds the same
 * objects before the checkpoint overwrites their state: the split (first half of the training set for weights,
 * second half for validation), the supernet (from --init-supernet's file when given), and its runner.
 */
public final class SearchSetup {
    private final SearchConfig cfg;
    private final RunContext ctx;
    private final Backend backend;
    private final Dataset dataset;
    private final Rng root;
    private final SupernetRunner runner;

    public SearchSetup(SearchConfig cfg, RunContext ctx, Backend backend, Dataset dataset) {
        this.cfg = cfg;
        this.ctx = ctx;
        this.backend = backend;
        this.dataset = dataset;
        this.root = new Rng(cfg.seed());
        Split split = Splits.search(dataset.train(), cfg.data().dataFraction());
        ImageSet valid = split.valid();
        int valCount = Math.max(1, (int) Math.floor(valid.size() * cfg.data().valFraction()));
        if (valCount < valid.size()) valid = valid.range(valid.name() + "[:" + valCount + "]", 0, valCount);
        if (split.train().size() < cfg.data().batch()) {
            throw new IllegalArgumentException("the training split has " + split.train().size() + " images, fewer than --batch " + cfg.data().batch()
                    + "; raise --data-fraction or lower --batch");
        }
        SearchConfig.SupernetSpec s = cfg.supernet();
        SuperNet net = new SuperNet(backend, new SuperNetConfig(s.channels(), s.layers(), dataset.classes(), dataset.channels(), 3), root.split());
        this.runner = new SupernetRunner(backend, net, split.train(), valid, dataset.normalization(), cfg, root.split());
        String init = s.initWeights();
        // A resumed run's checkpoint holds the weights; the file only seeds a run's start.
        if (init != null && !Files.exists(ctx.checkpointFile())) {
            Checkpoint c = SupernetWeights.read(Path.of(init), "--init-supernet", cfg, dataset);
            runner.loadWeights(c);
            ctx.log("starting from the supernet in " + init + " (" + c.header().path("weight_steps").asInt() + " weight steps of warm-up on "
                    + c.header().path("dataset").asText() + ", seed " + c.header().path("seed").asLong() + ")");
        }
    }

    public SearchConfig config() { return cfg; }
    public RunContext context() { return ctx; }
    public Backend backend() { return backend; }
    public Dataset dataset() { return dataset; }
    public SupernetRunner runner() { return runner; }

    /** The seed's stream; methods split it in a fixed order. */
    public Rng rootRng() { return root; }
}
