package org.proxynas.cli;

import org.proxynas.data.Dataset;
import org.proxynas.data.ImageSet;
import org.proxynas.proxy.GaeRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.SupernetWeights;
import org.proxynas.tensor.Backend;
import org.proxynas.train.RetrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The checks a command makes before it writes anything: set sizes against the batch after every fraction, a lower
 * bound of the memory a network needs against the heap, the GAE file, and warnings for options that make training
 * meaningless. Each failure is a {@link UserError} naming the option or file with the expected and actual value.
 */
final class RunChecks {
    private RunChecks() {}

    /** The search split (first half of the training set for weights, scaled by --data-fraction) against --batch. */
    static void searchSplit(Dataset d, SearchConfig cfg) {
        ImageSet train = d.train();
        int n = train.size();
        if (n < 2) throw new UserError("the training set " + train.name() + " has " + n + " images; a search needs at least 2");
        int half = n / 2;
        int kept = (int) Math.max(1, Math.min(half, Math.floor(cfg.data().dataFraction() * half + 1e-9)));
        if (kept < cfg.data().batch()) {
            throw new UserError(String.format(Locale.ROOT, "--batch %d is larger than the search's training split: %d images (half of the "
                    + "%d in %s, times --data-fraction %s); lower --batch or raise --data-fraction", cfg.data().batch(), kept, n, train.name(),
                    cfg.data().dataFraction()));
        }
        nonEmptyTest(d);
    }

    /** The retraining set (scaled by --train-fraction) against --batch, and a non-empty test set. */
    static void retrainSet(Dataset d, RetrainConfig cfg) {
        ImageSet train = d.train();
        int n = train.size();
        int kept = cfg.trainFraction() < 1 ? (int) Math.floor(n * cfg.trainFraction()) : n;
        if (kept < cfg.batch()) {
            String scaled = cfg.trainFraction() < 1 ? " (--train-fraction " + cfg.trainFraction() + " of the " + n + " in " + train.name() + ")"
                    : " in " + train.name();
            throw new UserError("--batch " + cfg.batch() + " is larger than the training set: " + kept + " images" + scaled
                    + "; lower --batch" + (cfg.trainFraction() < 1 ? " or raise --train-fraction" : ""));
        }
        nonEmptyTest(d);
    }

    private static void nonEmptyTest(Dataset d) {
        if (d.test().size() == 0) throw new UserError("the test set " + d.test().name() + " has no images; it needs at least one");
    }

    /** Warns when the cutout square covers a whole image: training would see blank images. */
    static void cutout(Dataset d, int cutout, PrintStream err) {
        int side = Math.max(d.height(), d.width());
        if (cutout >= side) {
            err.println("proxynas: warning: --cutout " + cutout + " is at least the image side (" + d.height() + "x" + d.width()
                    + "): cutout can blank whole images and training learns little; DARTS uses 16 on 32x32, 8 suits 28x28");
        }
    }

    /** The warmed-up supernet named by --init-supernet: present, a supernet.bin, and of this run's shape and dataset. */
    static void initSupernet(SearchConfig cfg, Dataset d) {
        if (cfg.supernet().initWeights() == null) return;
        supernetFile(Path.of(cfg.supernet().initWeights()), "--init-supernet", cfg, d);
    }

    /** A supernet.bin named by option: present, readable, and of cfg's supernet shape and d's images; returned read. */
    static Checkpoint supernetFile(Path file, String option, SearchConfig cfg, Dataset d) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(option + " " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file")
                    + "; `proxynas diagnose --out DIR` writes DIR/supernet.bin");
        }
        try {
            return SupernetWeights.read(file, option, cfg, d);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        } catch (Checkpoint.CheckpointException e) {
            throw new UserError(option + " " + e.getMessage(), e);
        }
    }

    /** The pretrained GAE named by --gae-file: present, readable, and a GAE of this build's shape. */
    static void gaeFile(SearchConfig cfg, Backend b) {
        if (cfg.proxy().gaeFile() == null) return;
        Path file = Path.of(cfg.proxy().gaeFile());
        if (!Files.isRegularFile(file)) {
            throw new UserError("--gae-file " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file")
                    + "; create one with 'proxynas pretrain-gae --out " + file + "' or leave --gae-file out to pretrain into the run");
        }
        try {
            new GaeRegressor(b, new Rng(0)).loadPretrained(file);
        } catch (IOException | RuntimeException e) {
            throw new UserError("--gae-file " + file + ": not a usable pretrained GAE: " + e.getMessage(), e);
        }
    }

    /** Refuses a search whose supernet cannot fit in the heap (a lower bound: weights, gradients, momentum, cell outputs). */
    static void searchMemory(Dataset d, SearchConfig cfg) {
        // Mixture supernet: 14 edges per cell, each with two separable and two dilated convolutions of C x C
        // pointwise weights (six C^2 blocks), so at least 84 C^2 weights per cell of width C.
        int channels = cfg.supernet().channels(), layers = cfg.supernet().layers(), batch = cfg.data().batch();
        memory(d, channels, layers, batch, 84, "--layers " + layers + " --channels " + channels + " --batch " + batch);
    }

    /** Refuses a retraining network that cannot fit in the heap (the same lower bound as {@link #searchMemory}). */
    static void trainMemory(Dataset d, int channels, int layers, int batch) {
        // Evaluation network: at least the two 1x1 preprocessing convolutions of every cell, C^2 / 2 weights each.
        memory(d, channels, layers, batch, 1, "--layers " + layers + " --channels " + channels + " --batch " + batch);
    }

    private static void memory(Dataset d, int channels, int layers, int batch, int weightsPerC2, String options) {
        double weights = 0, activations = 0;
        int c = channels, h = d.height(), w = d.width();
        for (int cell = 0; cell < layers; cell++) {
            if (cell == layers / 3 || cell == 2 * layers / 3) {
                c *= 2;
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
            weights += (double) weightsPerC2 * c * c;
            activations += (double) batch * 4 * c * h * w; // each cell's output (4 nodes concatenated), kept for backward
        }
        double bytes = 4 * (3 * weights + activations);
        Runtime rt = Runtime.getRuntime();
        double available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > available) {
            throw new UserError(String.format(Locale.ROOT, "%s needs at least %.1f GiB for the network (weights, gradients, momentum and "
                    + "cell outputs), the Java heap has %.1f GiB free of %.1f GiB; lower these options or raise the heap "
                    + "(PROXYNAS_JAVA_OPTS=-Xmx...)", options, bytes / (1L << 30), available / (1L << 30), rt.maxMemory() / (double) (1L << 30)));
        }
    }
}
