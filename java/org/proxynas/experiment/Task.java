package org.proxynas.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Task {@code index} of a stage: an ordinary {@code proxynas search|train} command line writing to
 * {@code <experiment>/<stage>/<index>}. A retraining task's genotype is the file the selection writes for its
 * method and rank once the searches are done.
 */
public record Task(Stage stage, int index, String method, long seed, int rank, Map<String, String> options) {

    public Path out(Path experiment) { return experiment.resolve(stage.dirName()).resolve(Integer.toString(index)); }

    /** The genotype file a retraining task trains (written by {@link Selection}). */
    public Path genotypeFile(Path experiment) { return Selection.file(experiment, method, rank); }

    public String label() {
        return stage.dirName() + "/" + index + " (" + method + (stage == Stage.RETRAIN ? " rank " + rank : "") + ", seed " + seed + ")";
    }

    /** The command line after {@code proxynas}. */
    public List<String> args(Path experiment) {
        List<String> a = new ArrayList<>();
        if (stage == Stage.SEARCH) {
            a.addAll(List.of("search", "--method", method));
        } else {
            a.addAll(List.of("train", "--genotype", genotypeFile(experiment).toString()));
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            switch (e.getValue()) {
                case "true" -> a.add("--" + e.getKey());
                case "false" -> a.add("--no-" + e.getKey());
                default -> a.addAll(List.of("--" + e.getKey(), e.getValue()));
            }
        }
        a.addAll(List.of("--seed", Long.toString(seed), "--out", out(experiment).toString()));
        return a;
    }
}
