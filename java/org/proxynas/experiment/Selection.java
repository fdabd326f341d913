package org.proxynas.experiment;

import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-k genotypes of each method for retraining: the finished search tasks of the method ranked by their
 * best validation loss (lower first, ties by task index), written as selected/&lt;method&gt;-&lt;rank&gt;.json
 * plus selected/selection.json saying which search task each came from. Deterministic and written atomically,
 * so every retraining task may run it at its start.
 */
public final class Selection {
    private Selection() {}

    public static Path file(Path experiment, String method, int rank) {
        return experiment.resolve("selected").resolve(method + "-" + rank + ".json");
    }

    public record Pick(String method, int rank, int searchTask, long seed, double bestValLoss) {}

    /** The picks from the search results on disk now. */
    public static List<Pick> picks(ExperimentDir exp) {
        List<Pick> picks = new ArrayList<>();
        for (String method : exp.plan().search().methods()) {
            List<Map.Entry<Task, SearchFigures>> done = new ArrayList<>();
            for (Task t : exp.tasks(Stage.SEARCH)) {
                if (!t.method().equals(method)) continue;
                SearchFigures f = SearchFigures.read(t.out(exp.dir()));
                if (f != null) done.add(Map.entry(t, f));
            }
            done.sort(Comparator.comparingDouble((Map.Entry<Task, SearchFigures> e) -> e.getValue().bestValLoss())
                    .thenComparingInt(e -> e.getKey().index()));
            int top = exp.plan().hasRetrain() ? exp.plan().retrain().top() : 1;
            for (int r = 1; r <= Math.min(top, done.size()); r++) {
                Task t = done.get(r - 1).getKey();
                picks.add(new Pick(method, r, t.index(), t.seed(), done.get(r - 1).getValue().bestValLoss()));
            }
        }
        return picks;
    }

    /** Writes the picks' genotype files and selection.json (tasks running at once write the same bytes). */
    public static List<Pick> write(ExperimentDir exp) {
        List<Pick> picks = picks(exp);
        Map<String, Object> record = new LinkedHashMap<>();
        try {
            for (Pick p : picks) {
                Path genotype = Tasks.search(exp.plan()).get(p.searchTask()).out(exp.dir()).resolve("genotype.json");
                publish(file(exp.dir(), p.method(), p.rank()), Files.readAllBytes(genotype));
                record.put(p.method() + "-" + p.rank(), p);
            }
            publish(exp.dir().resolve("selected").resolve("selection.json"), JsonFiles.mapper().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the selection in " + exp.dir().resolve("selected") + ": " + e.getMessage(), e);
        }
        return picks;
    }

    /**
     * Atomic like AtomicFiles, but through a temporary file of its own: the retraining tasks all write the selection
     * when they start, and on Slurm or with --parallel they start together.
     */
    private static void publish(Path target, byte[] data) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), data)) return;
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
