package org.proxynas.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The Slurm pieces that need no Slurm: the scripts' directives and the parsing of queue listings. */
class SlurmPartsTest {
    @Test
    void scriptsCarryThePlansResourcesAndTheArrayTaskIndex(@TempDir Path dir) throws IOException {
        ExperimentDir exp = new ExperimentDir(dir, PlanReader.parse(PlanReaderTest.YAML, "plan.yaml"), Engine.slurm, List.of("/opt/proxynas/bin/proxynas"), List.of());
        SlurmEngine.writeScripts(exp);
        String s = Files.readString(SlurmEngine.script(exp, "search"));
        for (String line : List.of("#SBATCH --array=0-3%3", "#SBATCH --gres=gpu:1", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G",
                "#SBATCH --time=02:00:00", "#SBATCH --partition=gpu", "#SBATCH --account=nas", "#SBATCH --job-name=two-seeds-search",
                "#SBATCH --output=" + dir.toAbsolutePath().normalize().resolve("logs/search-%a.log"),
                "exec /opt/proxynas/bin/proxynas experiment run-task " + dir.toAbsolutePath().normalize() + " search \"$SLURM_ARRAY_TASK_ID\"")) {
            assertTrue(s.lines().anyMatch(line::equals), "missing line '" + line + "' in:\n" + s);
        }
        String c = Files.readString(SlurmEngine.script(exp, "collect"));
        assertFalse(c.contains("--array") || c.contains("--gres"), "the collect job is one CPU job:\n" + c);
        assertTrue(c.contains("exec /opt/proxynas/bin/proxynas collect " + dir.toAbsolutePath().normalize()), c);
        assertEquals("1,3%3", SlurmEngine.arraySpec(List.of(1, 3), 3));
    }

    @Test
    void queueListingsExpandArrayRanges() {
        Map<String, String> m = SlurmQueue.parse("12_[2-4,7%2]|PENDING\n12_0|RUNNING\n12_1|CANCELLED by 0\n13|COMPLETED\n12.batch|COMPLETED\n");
        assertEquals(Map.of("12_2", "PENDING", "12_3", "PENDING", "12_4", "PENDING", "12_7", "PENDING", "12_0", "RUNNING", "12_1", "CANCELLED"), m);
    }
}
