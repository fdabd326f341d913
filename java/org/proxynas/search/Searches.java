package org.proxynas.search;

import org.proxynas.proxy.AdamConfig;
import org.proxynas.proxy.GaeConfig;
import org.proxynas.proxy.GaePretrainer;
import org.proxynas.proxy.GaeRegressor;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.proxy.Regressor;
import org.proxynas.proxy.RidgeRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.run.ProgressBar;
import org.proxynas.tensor.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Builds the search method a configuration names. */
public final class Searches {
    /** Where a search keeps the GAE it pretrained for itself. */
    public static final String PRETRAINED_GAE = "gae_pretrained.bin";

    private Searches() {}

    public static SearchMethod create(SearchSetup setup) {
        SearchConfig cfg = setup.config();
        return switch (cfg.method()) {
            case pvll, evolve -> new ProxySearch(cfg, setup.context(), setup.runner(), setup.rootRng(), regressor(setup));
            case darts -> new DartsSearch(setup);
            case random -> new RandomSearch(setup);
        };
    }

    /** The regressor the configuration names, its Adam at --regressor-lr (pretraining the GAE first when needed). */
    static Regressor regressor(SearchSetup setup) {
        SearchConfig cfg = setup.config();
        Rng init = setup.rootRng().split();
        AdamConfig adam = AdamConfig.regressorDefault().withLr(cfg.proxy().regressorLr());
        if (cfg.proxy().regressor() == SearchConfig.RegressorKind.ridge) return new RidgeRegressor(setup.backend());
        if (cfg.proxy().regressor() == SearchConfig.RegressorKind.lstm) {
            LstmRegressor.Config d = LstmRegressor.Config.defaults();
            return new LstmRegressor(setup.backend(), init, new LstmRegressor.Config(d.hidden(), d.loss(), adam));
        }
        GaeRegressor gae = new GaeRegressor(setup.backend(), init, GaeConfig.defaults().withAdam(adam));
        Path file = cfg.proxy().gaeFile() != null ? Path.of(cfg.proxy().gaeFile()) : setup.context().dir().resolve(PRETRAINED_GAE);
        if (cfg.proxy().gaeFile() == null && !Files.exists(file)) {
            int archs = cfg.proxy().gaePretrainArchs();
            pretrain(setup.backend(), new GaePretrainer.Config(archs, Math.max(1, archs / 4), cfg.proxy().gaePretrainEpochs(), 64,
                    cfg.alpha().temperature(), AdamConfig.regressorDefault()), new Rng(cfg.seed() ^ 0x6AE), file, setup.context());
        }
        try {
            gae.loadPretrained(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the pretrained GAE " + file + ": " + e.getMessage(), e);
        }
        return gae;
    }

    /** Pretrains the GAE on random architectures (docs/method.md#gae) and writes the best epoch to file. */
    public static GaePretrainer.Result pretrain(Backend backend, GaePretrainer.Config config, Rng rng, Path file, RunContext log) {
        ProgressBar bar = ProgressBar.stderr("GAE pretraining (" + config.trainSize() + " random architectures)", config.epochs(), "epochs");
        try {
            GaePretrainer.Result r = new GaePretrainer(backend, GaeConfig.defaults(), config, rng).run(file, (epoch, epochs, train, val, best) -> {
                bar.suffix(String.format(Locale.ROOT, "train %.4f val %.4f%s", train, val, best ? " *" : ""));
                bar.update(epoch);
            });
            String line = String.format(Locale.ROOT, "GAE pretrained: best validation reconstruction loss %.4f at epoch %d -> %s",
                    r.bestValidationLoss(), r.bestEpoch(), file);
            if (log != null) log.log(line);
            else System.err.println(line);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("GAE pretraining could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
