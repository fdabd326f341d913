package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The toy plan with --engine local: every task runs as its own process and the collected summary holds the
 * searches and the retrained candidate; a task that lost its result shows up in status and in a partial collect,
 * and resume runs that task alone, giving the same summary again.
 */
class ExperimentLocalTest {
    /** Katib's default StdOut metrics filter. */
    private static final Pattern KATIB = Pattern.compile("([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?([Ee][+-]?\\d+)?)");

    @Test
    void runsCollectsAndResumesOnlyTheBrokenTask() throws IOException {
        Path exp = ToyExperiment.localRun();
        ObjectMapper json = new ObjectMapper();
        JsonNode s = json.readTree(ToyExperiment.localSummary());
        assertEquals(4, s.path("tasks").asInt());
        assertEquals(4, s.path("done").asInt());
        JsonNode m = s.at("/methods/0");
        assertEquals("pvll", m.path("method").asText());
        assertEquals(2, m.path("searches").size());
        assertEquals(2, m.at("/bestValLoss/n").asInt());
        double lo = Math.min(m.at("/searches/0/bestValLoss").asDouble(), m.at("/searches/1/bestValLoss").asDouble());
        assertEquals(lo, m.at("/bestValLoss/best").asDouble(), 0.0, "best over seeds is the lower loss, exactly");
        JsonNode cand = m.at("/candidates/0");
        int from = cand.path("searchTask").asInt();
        assertEquals(lo, m.at("/searches/" + from + "/bestValLoss").asDouble(), 0.0, "rank 1 is the search with the lowest best validation loss");
        assertEquals(Files.readString(exp.resolve("search/" + from + "/genotype.json")), Files.readString(exp.resolve("selected/pvll-1.json")));
        assertEquals(2, cand.path("runs").size(), "two retraining seeds");
        for (JsonNode r : cand.path("runs")) {
            double a = r.path("testAccuracy").asDouble();
            assertTrue(a >= 0 && a <= 1, "accuracy in [0, 1]: " + a);
        }
        assertEquals(cand, m.path("winner"), "one candidate: it is the winner");

        String report = Files.readString(exp.resolve(Collector.REPORT));
        assertTrue(report.contains("Method pvll") && report.contains("Winner: rank 1"), "report sections");
        for (String f : List.of("report/pvll-winner-normal.svg", "report/pvll-winner-reduce.svg", "report/pvll-anytime.svg")) {
            assertTrue(Files.size(exp.resolve(f)) > 0, f);
        }

        // The trial contract on the tasks' stdout: Katib-parsable figures, and the search's Best-Genotype line.
        String searchLog = Files.readString(exp.resolve("logs/search-0.log"));
        String best = "Best-Genotype=" + Files.readString(exp.resolve("search/0/genotype.txt")).strip();
        assertTrue(searchLog.lines().anyMatch(best::equals), searchLog);
        assertTrue(searchLog.lines().anyMatch(l -> l.startsWith("best-val-loss=") && KATIB.matcher(l).matches()), searchLog);
        String trainLog = Files.readString(exp.resolve("logs/retrain-1.log"));
        String acc = trainLog.lines().filter(l -> l.startsWith("test-accuracy=")).findFirst().orElseThrow(() -> new AssertionError(trainLog));
        assertTrue(KATIB.matcher(acc).matches(), acc);
        assertEquals(cand.at("/runs/1/testAccuracy").asDouble(), Double.parseDouble(acc.substring(14)), 5e-9,
                "printed with 8 significant digits (relative error below 5e-9 for accuracies of 0.1 and above)");

        // A task that lost its result: status and a partial collect name it; resume reruns it alone.
        long[] before = {ToyExperiment.mtime(exp.resolve("search/0/genotype.json")), ToyExperiment.mtime(exp.resolve("search/1/genotype.json")),
                ToyExperiment.mtime(exp.resolve("retrain/0/result.json"))};
        Files.delete(exp.resolve("retrain/1/result.json"));
        ToyExperiment.Cli st = ToyExperiment.cli("experiment", "status", exp.toString());
        assertEquals(0, st.exit());
        assertTrue(st.out().lines().anyMatch(l -> l.startsWith("retrain/1 ") && l.contains("INCOMPLETE")), st.out());
        assertEquals(3, st.out().lines().filter(l -> l.contains(" DONE ")).count(), st.out());
        assertEquals(0, ToyExperiment.cli("collect", exp.toString()).exit());
        JsonNode partial = json.readTree(exp.resolve(Collector.SUMMARY).toFile());
        assertEquals(3, partial.path("done").asInt());
        assertEquals("retrain/1", partial.at("/unfinished/0/task").asText());
        assertEquals("INCOMPLETE", partial.at("/unfinished/0/state").asText());
        assertEquals(1, partial.at("/methods/0/candidates/0/runs").size(), "the partial summary keeps the finished seed");
        assertTrue(Files.readString(exp.resolve(Collector.REPORT)).contains("Partial experiment"));

        ToyExperiment.Cli r = ToyExperiment.cli("experiment", "resume", exp.toString());
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("retrain/1"), ToyExperiment.resumed(r.out()));
        assertArrayEquals(before, new long[] {ToyExperiment.mtime(exp.resolve("search/0/genotype.json")),
                ToyExperiment.mtime(exp.resolve("search/1/genotype.json")), ToyExperiment.mtime(exp.resolve("retrain/0/result.json"))},
                "the tasks with results were not run again");
        assertEquals(json.readTree(ToyExperiment.localSummary()), json.readTree(exp.resolve(Collector.SUMMARY).toFile()),
                "the resumed experiment's summary equals the uninterrupted one exactly (CPU backend, one thread: bit-reproducible)");
        assertEquals("nothing", ToyExperiment.cli("experiment", "resume", exp.toString()).out().split(" ")[0]);
    }

    @Test
    void dryRunPrintsOrdinaryCommandLinesAndBadPlansAreRefused(@TempDir Path dir) throws IOException {
        Path plan = ToyExperiment.writePlan(dir);
        ToyExperiment.Cli r = ToyExperiment.cli("experiment", plan.toString(), "--dir", dir.resolve("x").toString(), "--dry-run");
        assertEquals(0, r.exit());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("search/0: proxynas search --method pvll --dataset synthetic"), lines.get(0));
        assertTrue(lines.get(0).endsWith("--seed 1 --out " + dir.resolve("x").toAbsolutePath() + "/search/0"), lines.get(0));
        assertTrue(lines.get(3).startsWith("retrain/1: proxynas train --genotype " + dir.resolve("x").toAbsolutePath() + "/selected/pvll-1.json"), lines.get(3));
        assertEquals("collect: proxynas collect " + dir.resolve("x").toAbsolutePath(), lines.get(4));
        assertFalse(Files.exists(dir.resolve("x")), "a dry run writes nothing");

        Files.writeString(plan, ToyExperiment.PLAN.replace("iterations: 3", "iteratons: 3"));
        java.io.StringWriter err = new java.io.StringWriter();
        var cmd = org.proxynas.cli.Main.commandLine();
        cmd.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cmd.execute("experiment", plan.toString(), "--dry-run"));
        assertTrue(err.toString().contains("field 'search.options'") && err.toString().contains("--iteratons"), err.toString());
    }
}
