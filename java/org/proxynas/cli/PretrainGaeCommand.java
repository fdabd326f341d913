package org.proxynas.cli;

import org.proxynas.proxy.AdamConfig;
import org.proxynas.proxy.GaePretrainer;
import org.proxynas.rng.Rng;
import org.proxynas.search.Searches;
import org.proxynas.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas pretrain-gae}: the GAE's unsupervised pretraining, into a file that searches reuse (--gae-file). */
@Command(name = "pretrain-gae", mixinStandardHelpOptions = true,
        description = "Pretrain the graph autoencoder on random architectures (docs/method.md#gae); reuse it with 'search --regressor gae --gae-file FILE'.")
public final class PretrainGaeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output file.") Path out;
    @Option(names = "--archs", defaultValue = "4000", description = "Training architectures (default: ${DEFAULT-VALUE}).") int archs;
    @Option(names = "--val-archs", defaultValue = "1000", description = "Validation architectures (default: ${DEFAULT-VALUE}).") int valArchs;
    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}).") int epochs;
    @Option(names = "--temperature", defaultValue = "0.1", description = "Relaxation temperature of the samples (default: ${DEFAULT-VALUE}).") double tau;
    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).") long seed;
    @Mixin BackendOption backend = new BackendOption();

    @Override
    public Integer call() {
        GaePretrainer.Config cfg = new GaePretrainer.Config(archs, valArchs, epochs, 64, tau, AdamConfig.regressorDefault());
        try (Backend b = backend.create()) {
            GaePretrainer.Result r = Searches.pretrain(b, cfg, new Rng(seed), out, null);
            System.out.printf(Locale.ROOT, "best validation reconstruction loss %.4f (epoch %d) -> %s%n", r.bestValidationLoss(), r.bestEpoch(), out);
        }
        return 0;
    }
}
