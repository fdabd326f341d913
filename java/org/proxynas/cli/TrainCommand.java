package org.proxynas.cli;

import org.proxynas.data.Dataset;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.run.AtomicFiles;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.RandomArchitectures;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.train.RetrainConfig;
import org.proxynas.train.Retrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proxynas train}: train a derived architecture from scratch and report its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a genotype (built-in name or file) from scratch and report test accuracy.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--genotype", required = true,
            description = "A built-in genotype (DARTS_V1, DARTS_V2, PC_DARTS, PVLL_NAS), a genotype file (.json or DARTS text), or random:SEED for a uniformly random one.")
    String genotype;

    @Mixin DataOptions data = new DataOptions();
    @Mixin BackendOption backend = new BackendOption();
    @Mixin TrialOutput trial = new TrialOutput();

    @Option(names = "--epochs", defaultValue = "3", description = "Training epochs (default: ${DEFAULT-VALUE}; DARTS uses 600).")
    int epochs;

    @Option(names = "--layers", defaultValue = "8", description = "Cells L (default: ${DEFAULT-VALUE}; DARTS CIFAR uses 20).")
    int layers;

    @Option(names = "--channels", defaultValue = "16", description = "Initial channels C (default: ${DEFAULT-VALUE}; DARTS CIFAR uses 36).")
    int channels;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.025", description = "Initial SGD learning rate, cosine to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--auxiliary", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Auxiliary head after cell 2L/3, loss weight --aux-weight (default: on).")
    boolean auxiliary;

    @Option(names = "--aux-weight", defaultValue = "0.4", description = "Auxiliary loss weight (default: ${DEFAULT-VALUE}).")
    double auxWeight;

    @Option(names = "--drop-path", defaultValue = "0.2", description = "Final drop-path probability, ramped linearly (default: ${DEFAULT-VALUE}).")
    double dropPath;

    @Option(names = "--cutout", defaultValue = "16", description = "Cutout side, 0 for none (default: ${DEFAULT-VALUE}; 8 suits 28x28 images).")
    int cutout;

    @Option(names = "--train-fraction", defaultValue = "1", description = "Use this fraction of the training images (default: all).")
    double trainFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output directory (default: runs/train-<time>).")
    Path out;

    @Override
    public Integer call() {
        backend.checkSupported();
        Genotype g;
        try {
            g = genotype.startsWith("random:") ? RandomArchitectures.genotype(new Rng(Long.parseLong(genotype.substring(7))))
                    : Genotypes.resolve(genotype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--genotype: " + e.getMessage(), e);
        }
        RetrainConfig cfg = new RetrainConfig(epochs, batch, lr, 0.9, 3e-4, 5, auxWeight, dropPath, cutout, trainFraction, seed);
        Dataset d = data.load();
        EvalNetConfig netConfig = new EvalNetConfig(channels, layers, d.classes(), d.channels(), auxiliary);
        Path dir = RunDirs.create(out, "train");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "train");
        config.put("genotype", g.toDartsText());
        config.put("dataset", d.name());
        config.put("net", netConfig);
        config.put("train", cfg);
        try (Backend b = backend.create()) {
            config.put("backend", b.describe());
            JsonFiles.write(dir.resolve("config.json"), config);
            AtomicFiles.writeString(dir.resolve("genotype.txt"), g.toDartsText() + "\n");
            AtomicFiles.writeString(dir.resolve("genotype.json"), g.toJson() + "\n");
            Retrainer.Result r = new Retrainer(b, new MetricsLog(dir.resolve("metrics.jsonl"))).train(g, d, netConfig, cfg);
            JsonFiles.write(dir.resolve("result.json"), r);
            System.out.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) after %d epochs, %,d parameters, %.0f s -> %s%n",
                    r.testAccuracy(), r.testLoss(), epochs, r.parameters(), r.seconds(), dir);
            trial.trainFinished(r, System.out);
        }
        return 0;
    }
}
