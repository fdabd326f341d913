package org.proxynas.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the resume and crash tests read back from a search run directory. */
public final class SearchRunFiles {
    private SearchRunFiles() {}

    /** The search-phase index of a checkpoint, or -1 (absent, being replaced, or a phase before the search). */
    public static int searchIndex(Path checkpoint) { return phaseIndex(checkpoint, "SEARCH"); }

    /** The index of a checkpoint written in the given phase, or -1 (absent, being replaced, or another phase). */
    public static int phaseIndex(Path checkpoint, String phase) {
        if (!Files.exists(checkpoint)) return -1;
        try {
            Checkpoint c = Checkpoint.read(checkpoint);
            return c.header().path("phase").asText().equals(phase) ? c.header().path("index").asInt() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** metrics.jsonl with the wall-clock field removed from every record: what two runs of one seed share. */
    public static List<String> metricsWithoutTimes(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunContext.METRICS))) {
            ObjectNode n = (ObjectNode) JsonFiles.mapper().readTree(line);
            n.remove("elapsed_s");
            out.add(n.toString());
        }
        return out;
    }
}
