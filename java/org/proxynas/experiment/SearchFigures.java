package org.proxynas.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.MetricsReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished search's own figures, from its metrics.jsonl: the best validation loss any search record saw (for
 * random search that is the chosen genotype's), the last search record's validation loss and accuracy, the
 * held-out Kendall tau where the run scored one, the genotype, and the anytime curve (best validation loss so far
 * against elapsed seconds). Null when the run has not finished (no final record).
 */
public record SearchFigures(double bestValLoss, double finalValLoss, double finalValAcc, Double heldoutTau, String genotype,
                            double[] curveSeconds, double[] curveBest) {

    public static SearchFigures read(Path run) {
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics) || !Files.isRegularFile(run.resolve("genotype.json"))) return null;
        double best = Double.POSITIVE_INFINITY, lastLoss = Double.NaN, lastAcc = Double.NaN;
        Double tau = null;
        String genotype = null;
        List<double[]> curve = new ArrayList<>();
        for (ObjectNode r : MetricsReader.read(metrics).records()) {
            switch (r.path("phase").asText()) {
                case "search" -> {
                    if (!r.has("val_loss")) continue;
                    lastLoss = r.get("val_loss").asDouble();
                    lastAcc = r.path("val_acc").asDouble(Double.NaN);
                    best = Math.min(best, lastLoss);
                    curve.add(new double[] {r.path("elapsed_s").asDouble(), best});
                }
                case "heldout" -> tau = r.path("tau").asDouble();
                case "final" -> genotype = r.path("genotype").asText();
                default -> { }
            }
        }
        if (genotype == null || curve.isEmpty()) return null;
        double[] t = new double[curve.size()], b = new double[curve.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = curve.get(i)[0];
            b[i] = curve.get(i)[1];
        }
        return new SearchFigures(best, lastLoss, lastAcc, tau, genotype, t, b);
    }
}
