package org.proxynas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.fuzz.Fixtures;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash safety of train runs: a training killed with SIGKILL between epoch checkpoints and resumed ends bit for bit
 * where an uninterrupted one does (CPU backend, one thread), and a full disk stops the run with a message naming the
 * file and the reason, with the last checkpoint intact and resumable.
 */
class TrainCrashSafetyTest {
    private static final int EPOCHS = 6;

    private static List<String> train(Path data, Path out, int epochs) {
        return new ArrayList<>(List.of("train", "--genotype", "DARTS_V2", "--dataset", "fashion-mnist", "--data", data.toString(),
                "--epochs", Integer.toString(epochs), "--layers", "3", "--channels", "4", "--batch", "8", "--cutout", "8",
                "--threads", "1", "--backend", "cpu", "--out", out.toString()));
    }

    /** Epochs recorded in the checkpoint, or -1 while it is absent or being replaced. */
    private static int epochsDone(Path file) {
        if (!Files.exists(file)) return -1;
        try {
            return Checkpoint.read(file).header().path("epochs_done").asInt(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static int waitForEpoch(Process p, Path checkpoint, int epoch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        int done = -1;
        while (p.isAlive() && System.nanoTime() < deadline) {
            done = epochsDone(checkpoint);
            if (done >= epoch) break;
            Thread.sleep(10);
        }
        return done;
    }

    @Test
    void killedTrainingResumesBitIdentically(@TempDir Path dir) throws Exception {
        Path data = Fixtures.fashionMnist(dir.resolve("data"), 32, 8);
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        Cli.Outcome ref = Cli.run(train(data, reference, EPOCHS));
        assertEquals(0, ref.code(), ref.all());

        Process p = Cli.start(train(data, killed, EPOCHS), dir.resolve("child.log"));
        int done = waitForEpoch(p, killed.resolve("checkpoint.bin"), 1);
        assertTrue(p.isAlive(), "the child finished before it could be killed (epoch " + done + "): " + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        assertTrue(done >= 1 && done < EPOCHS, "killed after epoch " + done);
        assertFalse(Files.exists(killed.resolve("result.json")), "the killed run must not have finished");

        Cli.Outcome resumed = Cli.run("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.all());

        assertEquals(withoutTimes(reference, "metrics.jsonl"), withoutTimes(killed, "metrics.jsonl"), "metrics.jsonl apart from elapsed times");
        assertEquals(withoutTimes(reference, "result.json"), withoutTimes(killed, "result.json"), "result.json apart from seconds");
        Checkpoint a = Checkpoint.read(reference.resolve("checkpoint.bin")), b = Checkpoint.read(killed.resolve("checkpoint.bin"));
        assertEquals(a.names(), b.names());
        for (String name : a.names()) assertArrayEquals(a.get(name, -1), b.get(name, -1), name);
        assertEquals(a.field("train_loader"), b.field("train_loader"));
        assertEquals(a.field("drop_path_rng"), b.field("drop_path_rng"));
    }

    @Test
    void aFullDiskStopsTheRunWithAClearMessageAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), "4m")) {
            Path data = Fixtures.fashionMnist(dir.resolve("data"), 16, 4);
            Path run = disk.path().resolve("run");
            Process p = Cli.start(train(data, run, 20), dir.resolve("child.log"));
            int done = waitForEpoch(p, run.resolve("checkpoint.bin"), 1);
            assertTrue(p.isAlive() && done >= 1, "the child should be training (epoch " + done + "): " + Files.readString(dir.resolve("child.log")));
            disk.fill();
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the run should stop on the full disk");
            String log = Files.readString(dir.resolve("child.log"));
            assertEquals(2, p.exitValue(), log);
            assertTrue(log.contains("proxynas: error: ") && log.contains("No space left on device") && log.contains(run.toString()), log);
            assertFalse(Cli.looksLikeTrace(log), log);
            int kept = Checkpoint.read(run.resolve("checkpoint.bin")).field("epochs_done").asInt();
            assertTrue(kept >= 1, "the last checkpoint is intact (epoch " + kept + ")");

            disk.free();
            ObjectNode cfg = (ObjectNode) JsonFiles.mapper().readTree(run.resolve("config.json").toFile());
            assertEquals(20, cfg.path("train").path("epochs").asInt());
            Cli.Outcome resumed = Cli.run("train", "--resume", run.toString());
            assertTrue(resumed.err().contains("resumed from " + run.resolve("checkpoint.bin") + " after epoch " + kept), resumed.all());
            assertEquals(0, resumed.code(), resumed.all());
        }
    }

    private static List<String> withoutTimes(Path run, String file) throws IOException {
        List<String> out = new ArrayList<>();
        String text = Files.readString(run.resolve(file));
        for (String line : file.endsWith(".jsonl") ? text.split("\n") : new String[] {text}) {
            if (line.isBlank()) continue;
            ObjectNode n = (ObjectNode) JsonFiles.mapper().readTree(line);
            n.remove("elapsed_s");
            n.remove("seconds");
            out.add(n.toString());
        }
        return out;
    }
}
