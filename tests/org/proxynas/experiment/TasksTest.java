package org.proxynas.experiment;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Stages expand into numbered tasks in a fixed order, each an ordinary command line into its own run directory. */
class TasksTest {
    private final Plan plan = PlanReader.parse(PlanReaderTest.YAML, "plan.yaml");
    private final Path exp = Path.of("/data/exp");

    @Test
    void searchTasksAreMethodsTimesSeeds() {
        List<Task> s = Tasks.search(plan);
        assertEquals(4, s.size());
        assertEquals(List.of("pvll", "pvll", "random", "random"), s.stream().map(Task::method).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L), s.stream().map(Task::seed).toList());
        assertEquals(List.of("search", "--method", "random", "--dataset", "synthetic", "--iterations", "3", "--oiw", "--no-val-batch-stats",
                "--seed", "2", "--out", "/data/exp/search/3"), s.get(3).args(exp));
    }

    @Test
    void retrainTasksAreMethodsTimesRanksTimesSeeds() {
        List<Task> r = Tasks.retrain(plan);
        assertEquals(4, r.size(), "2 methods x top 2 x 1 seed");
        Task t = r.get(3);
        assertEquals("random", t.method());
        assertEquals(2, t.rank());
        assertEquals(List.of("train", "--genotype", "/data/exp/selected/random-2.json", "--epochs", "1", "--seed", "7", "--out", "/data/exp/retrain/3"), t.args(exp));
        assertSame(t.stage(), Tasks.get(plan, Stage.RETRAIN, 3).stage());
        PlanException e = assertThrows(PlanException.class, () -> Tasks.get(plan, Stage.RETRAIN, 4));
        assertTrue(e.getMessage().contains("0..3"), e.getMessage());
    }
}
