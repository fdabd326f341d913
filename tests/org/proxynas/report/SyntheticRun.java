package org.proxynas.report;

import org.proxynas.run.MetricsLog;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Writes a plausible search run directory: every phase in metrics.jsonl (plus a torn last line), genotype, proxy.json. */
final class SyntheticRun {
    static final int WARMUP = 20, MEMORY = 20, REG_EPOCHS = 15, SEARCH = 40;
    /** The final α_normal has its largest entry here and its smallest at (0, 0). */
    static final int HIGH_EDGE = 0, HIGH_OP = 4;

    private SyntheticRun() {}

    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(7);
        Files.writeString(dir.resolve("config.json"),
                "{\"method\":\"pvll\",\"dataset\":\"synthetic\",\"search\":{\"iterations\":" + SEARCH + ",\"tau\":0.1},"
                        + "\"seed\":1}");
        Files.writeString(dir.resolve("log.txt"), "search started\n");
        MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"));
        double t = 0;
        for (int p = 1; p <= WARMUP; p++) {
            t += 1.5;
            log.append(MetricsLog.record("phase", "warmup", "sample", p, "train_loss", 2.3 - 0.03 * p + 0.05 * rnd.nextGaussian(),
                    "train_acc", 0.1 + 0.01 * p, "elapsed_s", t));
        }
        List<Double> measured = new ArrayList<>(), predicted = new ArrayList<>();
        for (int p = 1; p <= MEMORY; p++) {
            t += 2;
            double val = 1.8 - 0.01 * p + 0.1 * rnd.nextGaussian();
            measured.add(val);
            predicted.add(val + 0.05 * rnd.nextGaussian());
            log.append(MetricsLog.record("phase", "memory", "sample", p, "train_loss", 1.7 - 0.01 * p, "val_loss", val,
                    "val_acc", 0.3 + 0.005 * p, "elapsed_s", t));
        }
        for (int e = 1; e <= REG_EPOCHS; e++) {
            t += 0.1;
            log.append(MetricsLog.record("phase", "regressor_warmup", "epoch", e, "loss", 0.5 / e, "tau", Math.min(0.9, 0.06 * e)));
        }
        Genotype g = Genotypes.DARTS_V2;
        for (int it = 1; it <= SEARCH; it++) {
            t += 3;
            double val = 1.6 - 0.012 * it + 0.05 * rnd.nextGaussian();
            double[][] an = alpha(rnd, it, true), ar = alpha(rnd, it, false);
            int[] counts = new int[8];
            counts[4] = 6 - it / 10;
            counts[3] = 3 + it / 10;
            counts[1] = 5;
            counts[6] = 2;
            Map<String, Object> r = MetricsLog.record("phase", "search", "iter", it, "train_loss", 1.5 - 0.01 * it,
                    "train_acc", 0.45 + 0.005 * it, "val_loss", val, "val_acc", 0.4 + 0.006 * it,
                    "predicted", it == 1 ? null : val + 0.04 * rnd.nextGaussian(), "tau", 0.4 + 0.5 * it / SEARCH,
                    "regressor_epochs", 50, "regressor_loss", 0.01, "lr", 0.025, "alpha_normal", an, "alpha_reduce", ar,
                    "ops_normal", new int[] {4, 4, 1, 3, 4, 0, 3, 3, 6, 2, 1, 4, 5, 3},
                    "ops_reduce", new int[] {1, 1, 1, 3, 4, 0, 3, 3, 6, 2, 1, 4, 5, 3},
                    "genotype_ops", counts, "genotype", g.toDartsText(), "elapsed_s", t);
            log.append(r);
        }
        log.append(MetricsLog.record("phase", "heldout", "samples", 3, "tau", 1.0, "tau_low", -0.62, "tau_high", 1.0,
                "protocol", "trained", "elapsed_s", t + 0.5));
        log.append(MetricsLog.record("phase", "final", "genotype", g.toDartsText(), "elapsed_s", t + 1));
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"phase\":\"search\",\"iter\":41,\"train_lo",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("genotype.json"), g.toJson() + "\n");
        Files.writeString(dir.resolve("genotype.txt"), g.toDartsText() + "\n");
        StringBuilder proxy = new StringBuilder("{\"measured\":").append(measured).append(",\"predicted\":").append(predicted)
                .append(",\"heldout_measured\":[1.5,1.6,1.7],\"heldout_predicted\":[1.55,1.58,1.75]}");
        Files.writeString(dir.resolve("proxy.json"), proxy.toString());
        return dir;
    }

    /** Small noise that drifts; at the end edge 0 strongly prefers sep_conv_3x3 and strongly rejects none. */
    static double[][] alpha(Random rnd, int it, boolean normal) {
        double[][] a = new double[14][8];
        double s = (double) it / SEARCH;
        for (int e = 0; e < 14; e++) for (int k = 0; k < 8; k++) a[e][k] = 0.05 * rnd.nextGaussian() * s + 0.02 * ((e + k) % 5) * s;
        if (normal) {
            a[HIGH_EDGE][HIGH_OP] = 1.0 * s;
            a[HIGH_EDGE][0] = -0.8 * s;
        } else {
            a[3][1] = 0.9 * s;
        }
        return a;
    }
}
