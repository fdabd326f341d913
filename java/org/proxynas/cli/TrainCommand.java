package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.run.AtomicFiles;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.RunIdentity;
import org.proxynas.space.Genotype;
import org.proxynas.space.GenotypeText;
import org.proxynas.tensor.Backend;
import org.proxynas.train.RetrainCheckpoints;
import org.proxynas.train.RetrainConfig;
import org.proxynas.train.Retrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proxynas train}: train a derived architecture from scratch and report its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a genotype (built-in name or file) from scratch and report test accuracy.")
public final class TrainCommand implements Callable<Integer> {
    public static final String CONFIG_FORMAT = "proxynas-train-config";
    static final String CHECKPOINT = "checkpoint.bin", CONFIG = "config.json";

    @Option(names = "--genotype",
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

    @Option(names = "--force", description = "Replace a non-empty --out folder: the new run is built beside it and renamed into place.")
    boolean force;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the stopped training in DIR from its last epoch checkpoint (its config.json fixes every other option; only --threads, --backend and --device may be given).")
    Path resume;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        backend.checkSupported();
        return resume != null ? resumeRun() : newRun();
    }

    private int newRun() {
        if (genotype == null) throw new UserError("train needs --genotype (or --resume DIR to continue a stopped training)");
        Genotype g = GenotypeOption.resolve(genotype);
        RetrainConfig cfg = new RetrainConfig(epochs, batch, lr, 0.9, 3e-4, 5, auxWeight, dropPath, cutout, trainFraction, seed);
        Path target = RunDirectory.check(out, "train", force);
        Dataset d = data.load();
        EvalNetConfig netConfig = new EvalNetConfig(channels, layers, d.classes(), d.channels(), auxiliary);
        RunChecks.retrainSet(d, cfg);
        RunChecks.trainMemory(d, channels, layers, batch);
        RunChecks.cutout(d, cutout, System.err);
        ObjectNode content = JsonFiles.mapper().createObjectNode();
        content.put("command", "train");
        content.put("genotype", g.toDartsText());
        content.put("dataset", data.dataset);
        content.put("data", data.dataDir == null ? null : data.dataDir.toAbsolutePath().toString());
        content.set("net", JsonFiles.mapper().valueToTree(netConfig));
        content.set("train", JsonFiles.mapper().valueToTree(cfg));
        RunIdentity id = RunIdentity.start(content);
        try (Backend b = backend.create()) {
            ObjectNode c = JsonFiles.mapper().createObjectNode();
            c.put("format", CONFIG_FORMAT);
            c.put("version", 1);
            c.put("proxynas", VersionProvider.version());
            id.stamp(c);
            c.setAll(content);
            c.put("threads", backend.threads > 0 ? backend.threads : Runtime.getRuntime().availableProcessors());
            c.put("backend", b.describe());
            try (RunDirectory dir = RunDirectory.create(target, staging -> {
                JsonFiles.write(staging.resolve(CONFIG), c);
                AtomicFiles.writeString(staging.resolve("genotype.txt"), g.toDartsText() + "\n");
                AtomicFiles.writeString(staging.resolve("genotype.json"), g.toJson() + "\n");
            })) {
                train(dir.path(), id, g, d, netConfig, cfg, b, false);
            }
        }
        return 0;
    }

    private int resumeRun() {
        Path dir = resume;
        Path configFile = dir.resolve(CONFIG), checkpointFile = dir.resolve(CHECKPOINT);
        if (!Files.isDirectory(dir)) throw new UserError("--resume " + dir + ": no such run directory");
        if (!Files.isRegularFile(configFile)) throw new UserError("--resume " + dir + ": not a proxynas train run (no " + CONFIG + ")");
        if (!(JsonFiles.read(configFile) instanceof ObjectNode saved) || !CONFIG_FORMAT.equals(saved.path("format").asText())) {
            throw new UserError(configFile + ": not a proxynas train configuration (field 'format' is not '" + CONFIG_FORMAT + "')");
        }
        ResumeCheck.overrides(spec, dir);
        if (!Files.exists(checkpointFile)) {
            throw new UserError(dir + " has no " + CHECKPOINT + " yet (it stopped before its first epoch ended); start a new run");
        }
        ObjectNode content = JsonFiles.mapper().createObjectNode();
        for (String f : List.of("command", "genotype", "dataset", "data", "net", "train")) {
            JsonNode v = saved.get(f);
            if (v == null) throw new UserError(configFile + ": field '" + f + "' is missing");
            content.set(f, v);
        }
        ResumeCheck.identity(dir, saved, content, Checkpoint.read(checkpointFile), checkpointFile, configFile);
        RunIdentity id = new RunIdentity(saved.get(RunIdentity.RUN_ID).asText(), RunIdentity.hash(content), content);
        Genotype g = GenotypeText.parse(content.get("genotype").asText(), configFile + " field 'genotype'");
        RetrainConfig cfg;
        EvalNetConfig netConfig;
        try {
            cfg = JsonFiles.mapper().treeToValue(content.get("train"), RetrainConfig.class);
            netConfig = JsonFiles.mapper().treeToValue(content.get("net"), EvalNetConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(configFile + ": invalid train configuration: " + JsonMessages.describe(e));
        }
        String datasetName = content.get("dataset").asText();
        if (!Datasets.NAMES.contains(datasetName)) throw new UserError(configFile + ": field 'dataset' must be one of " + Datasets.NAMES + ", got '" + datasetName + "'");
        Dataset d = Datasets.load(datasetName, content.hasNonNull("data") ? Path.of(content.get("data").asText()) : null);
        RunChecks.retrainSet(d, cfg);
        if (backend.threads <= 0) backend.threads = saved.path("threads").asInt(0);
        try (RunDirectory owned = RunDirectory.resume(dir); Backend b = backend.create()) {
            train(owned.path(), id, g, d, netConfig, cfg, b, true);
        }
        return 0;
    }

    private void train(Path dir, RunIdentity id, Genotype g, Dataset d, EvalNetConfig netConfig, RetrainConfig cfg, Backend b, boolean resumed) {
        RetrainCheckpoints checkpoints = new RetrainCheckpoints(dir.resolve(CHECKPOINT), resumed, id::stamp);
        Retrainer.Result r = new Retrainer(b, new MetricsLog(dir.resolve("metrics.jsonl"))).train(g, d, netConfig, cfg, checkpoints);
        JsonFiles.write(dir.resolve("result.json"), r);
        System.out.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) after %d epochs, %,d parameters, %.0f s -> %s%n",
                r.testAccuracy(), r.testLoss(), cfg.epochs(), r.parameters(), r.seconds(), dir);
        trial.trainFinished(r, System.out);
    }
}
