package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The toy plan through a real Slurm (CI starts a one-node one with .ci/slurm-up.sh): array jobs with afterok and
 * afterany dependencies; one search task is cancelled with scancel after its first checkpoint, which also voids the
 * retraining array; the collect job still reports the partial experiment; resume resubmits exactly the tasks
 * without a result (the search resumes from its checkpoint); and the final summary equals the --engine local run's.
 * Skips, saying why, where sbatch is missing or the daemons do not answer.
 */
@Tag("slurm")
class SlurmEndToEndTest {
    private static final long TIMEOUT_S = 600;

    /** In each test rather than once per class, so a missing Slurm shows as a skipped test with its reason. */
    @BeforeEach
    void slurmIsThere() {
        Shell.Result which = Shell.run(List.of("sh", "-c", "command -v sbatch"));
        assumeTrue(which.exit() == 0, "Slurm is not installed (no sbatch on PATH); .ci/slurm-up.sh installs and starts a one-node Slurm");
        Shell.Result info = Shell.run(List.of("sinfo", "-h", "-o", "%T"));
        assumeTrue(info.exit() == 0 && info.out().matches("(?s).*(idle|mixed|allocated).*"),
                "the Slurm daemons do not answer or have no usable node (.ci/slurm-up.sh starts them): " + info.out().strip());
    }

    @Test
    void cancelledTaskIsResubmittedAloneAndTheSummaryEqualsTheLocalRun(@TempDir Path dir) throws Exception {
        String expected = ToyExperiment.localSummary();
        Path exp = dir.resolve("slurm");
        long start = System.nanoTime();
        ToyExperiment.Cli sub = ToyExperiment.cli("experiment", ToyExperiment.writePlan(dir).toString(), "--engine", "slurm", "--dir", exp.toString(),
                "--launcher", ToyExperiment.launcher());
        assertEquals(0, sub.exit(), sub.out());
        ExperimentDir e = ExperimentDir.open(exp);
        assertEquals(List.of("search", "retrain", "collect"), e.submissions().stream().map(Submission::stage).toList());
        String searchJob = e.submissions().getFirst().jobId();

        // Cancel search task 1 once it has checkpointed and before it finishes.
        Path victim = exp.resolve("search/1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!(Files.exists(victim.resolve("checkpoint.bin")) && !Files.exists(victim.resolve("genotype.json")))) {
            assertFalse(Files.exists(victim.resolve("genotype.json")), "search/1 finished before it could be cancelled");
            assertTrue(System.nanoTime() < deadline, "search/1 wrote no checkpoint in " + TIMEOUT_S + " s; logs in " + exp.resolve("logs"));
            Thread.sleep(50);
        }
        assertEquals(0, Shell.run(List.of("scancel", searchJob + "_1")).exit());
        waitForQueue(e);

        ToyExperiment.Cli st = ToyExperiment.cli("experiment", "status", exp.toString());
        Map<String, String> states = states(st.out());
        assertEquals("DONE", states.get("search/0"), st.out());
        assertEquals("FAILED", states.get("search/1"), st.out());
        assertTrue(st.out().contains(searchJob + "_1 CANCELLED"), st.out());
        assertTrue(states.get("retrain/0").matches("FAILED|MISSING") && states.get("retrain/1").matches("FAILED|MISSING"), "the retraining never ran: " + st.out());
        // The collect job (afterany) reported on the partial experiment.
        JsonNode partial = new ObjectMapper().readTree(exp.resolve(Collector.SUMMARY).toFile());
        assertEquals(1, partial.path("done").asInt(), partial.toString());
        assertEquals(3, partial.path("unfinished").size(), partial.toString());

        long search0 = ToyExperiment.mtime(exp.resolve("search/0/genotype.json"));
        int before = ExperimentDir.open(exp).submissions().size();
        ToyExperiment.Cli res = ToyExperiment.cli("experiment", "resume", exp.toString());
        assertEquals(0, res.exit(), res.out());
        assertEquals(List.of("search/1", "retrain/0", "retrain/1"), ToyExperiment.resumed(res.out()), res.out());
        ExperimentDir after = ExperimentDir.open(exp);
        List<Submission> added = after.submissions().subList(before, after.submissions().size());
        assertEquals(List.of(new Submission("search", added.get(0).jobId(), List.of(1)), new Submission("retrain", added.get(1).jobId(), List.of(0, 1)),
                new Submission("collect", added.get(2).jobId(), List.of())), added, "only the tasks without a result were resubmitted");
        waitForQueue(after);

        assertTrue(Files.readString(victim.resolve("log.txt")).contains("resumed from"), "search/1 resumed from its checkpoint");
        assertEquals(search0, ToyExperiment.mtime(exp.resolve("search/0/genotype.json")), "search/0 did not run again");
        ObjectMapper json = new ObjectMapper();
        JsonNode got = json.readTree(exp.resolve(Collector.SUMMARY).toFile());
        assertEquals(0, got.path("unfinished").size(), () -> "tasks without a result after the resume:\n" + logsOfUnfinished(exp, got));
        assertEquals(json.readTree(expected), got,
                "Slurm (with a cancel and a resume) and local give the same summary exactly: same seeds, CPU backend, one thread per task");
        System.err.printf("SlurmEndToEndTest: submit, cancel, resume and collect took %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** The last lines of each unfinished task's log, for the failure message. */
    private static String logsOfUnfinished(Path exp, JsonNode summary) {
        StringBuilder b = new StringBuilder();
        for (JsonNode u : summary.path("unfinished")) {
            Path log = exp.resolve("logs").resolve(u.path("task").asText().replace('/', '-') + ".log");
            b.append("== ").append(log).append('\n');
            try {
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return b.toString();
    }

    /** Waits until no job of the experiment is queued or running. */
    private static void waitForQueue(ExperimentDir e) throws InterruptedException {
        List<String> jobs = new ArrayList<>();
        e.submissions().forEach(s -> jobs.add(s.jobId()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            Shell.Result q = Shell.run(List.of("squeue", "-h", "-j", String.join(",", jobs), "-t", "PENDING,RUNNING,CONFIGURING,COMPLETING,SUSPENDED", "-o", "%i %T"));
            if (q.exit() == 0 && q.out().isBlank()) return;
            assertTrue(System.nanoTime() < deadline, "jobs still queued after " + TIMEOUT_S + " s: " + q.out());
            Thread.sleep(500);
        }
    }

    private static Map<String, String> states(String statusOut) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : statusOut.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i + 1].matches("DONE|PENDING|RUNNING|FAILED|INCOMPLETE|MISSING") && f[0].contains("/")) {
                    m.put(f[0], f[i + 1]);
                    break;
                }
            }
        }
        return m;
    }
}
