package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchPlotCommandTest {
    @TempDir Path tmp;

    private static BenchPlotCommand parse(String... args) {
        BenchPlotCommand c = new BenchPlotCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void drawsTheBatchAxisFromTwoBenchFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("scaling"));
        Path out = dir.resolve("b16.json");
        assertEquals(0, tinyBench(out, "16"));
        assertEquals(0, tinyBench(dir.resolve("b32.json"), "32"));
        assertEquals(0, parse(dir.toString()).call());
        assertTrue(Files.size(dir.resolve("scaling-batch.png")) > 0);
        assertTrue(Files.notExists(dir.resolve("scaling-channels.png")), "one size per other axis: nothing to draw");
    }

    @Test
    void clearErrorsForAMissingOrEmptyDirectory() throws IOException {
        UserError e = assertThrows(UserError.class, () -> parse(tmp.resolve("nope").toString()).call());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(UserError.class, () -> parse(empty.toString()).call());
        assertTrue(e.getMessage().contains("no .json files"), e.getMessage());
    }

    /** A real `proxynas bench` at the default C=16, L=8 on toy images: the files bench-plot reads. */
    private static int tinyBench(Path out, String batch) {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).parseArgs("--backend", "cpu", "--threads", "1", "--image-size", "8", "--batch", batch, "--modes", "single",
                "--phases", "train_step", "--warmup", "0", "--iters", "1", "--out", out.toString());
        return c.call();
    }
}
