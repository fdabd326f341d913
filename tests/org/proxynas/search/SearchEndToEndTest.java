package org.proxynas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.proxynas.cli.Main;
import org.proxynas.space.GenotypeFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every method end to end on the synthetic set, through the CLI, at a tiny size; and the bad-input paths. */
class SearchEndToEndTest {
    /** A run that takes seconds: C=2, L=3, 1 batch of 8 per sample, a few dozen validation images. */
    static List<String> tiny(String method, Path out) {
        return new ArrayList<>(List.of("search", "--method", method, "--dataset", "synthetic", "--warmup-samples", "3",
                "--iterations", "3", "--steps-per-sample", "1", "--channels", "2", "--layers", "3", "--batch", "8",
                "--regressor-warmup", "5", "--regressor-epochs", "3", "--data-fraction", "0.02", "--val-fraction", "0.5",
                "--eval-batch", "64", "--threads", "2", "--checkpoint-every", "1", "--out", out.toString()));
    }

    static int run(List<String> args) { return Main.commandLine().execute(args.toArray(String[]::new)); }

    /** {@link #tiny} for the ridge proxy, which refuses the epoch cap (it fits exactly). */
    static List<String> tinyRidge(String method, Path out) {
        List<String> a = tiny(method, out);
        a.subList(a.indexOf("--regressor-epochs"), a.indexOf("--regressor-epochs") + 2).clear();
        a.addAll(List.of("--regressor", "ridge"));
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pvll", "evolve", "darts", "random"})
    void methodRunsEndToEndWithEveryOutputFile(String method, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, run(tiny(method, out)));
        for (String f : List.of("config.json", "log.txt", "metrics.jsonl", "checkpoint.bin", "genotype.json", "genotype.txt", "alpha.json",
                "report.html", "normal.svg", "reduce.svg", "normal.dot", "reduce.dot", "loss.png", "alpha_normal.png", "ops.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, method + ": " + f + " missing or empty");
        }
        assertNotNull(GenotypeFiles.load(out.resolve("genotype.json")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("<tr><th>method</th><td>" + method + "</td></tr>"),
                method + ": the report's summary names the method (read from config.json's search block)");
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals("final", last.get("phase").asText());
        assertEquals(Files.readString(out.resolve("genotype.txt")).strip(), last.get("genotype").asText());
        if (!method.equals("random") && !method.equals("darts")) {
            assertTrue(Files.exists(out.resolve("proxy.json")) && Files.exists(out.resolve("tau.png")), method + ": proxy outputs");
        }
    }

    @Test
    void gaeRegressorPretrainsAndSearches(@TempDir Path dir) {
        Path out = dir.resolve("run");
        List<String> args = tiny("pvll", out);
        args.addAll(List.of("--regressor", "gae", "--gae-pretrain-archs", "16", "--gae-pretrain-epochs", "1"));
        assertEquals(0, run(args));
        assertTrue(Files.exists(out.resolve(Searches.PRETRAINED_GAE)));
        assertTrue(Files.exists(out.resolve("genotype.json")));
    }

    /** The ridge proxy fits once per iteration (one "epoch"), and proxy.json names it. */
    @Test
    void ridgeRegressorSearchesWithOneExactFitPerIteration(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, run(tinyRidge("pvll", out)));
        assertEquals("ridge", new ObjectMapper().readTree(out.resolve("proxy.json").toFile()).get("regressor").asText());
        int searchRows = 0;
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode m = new ObjectMapper().readTree(line);
            if (m.path("phase").asText().equals("search")) {
                assertEquals(1, m.get("regressor_epochs").asInt(), line);
                searchRows++;
            }
        }
        assertEquals(3, searchRows);
        for (String option : List.of("--regressor-lr", "--tau-stop")) {
            List<String> bad = tinyRidge("pvll", dir.resolve("bad" + option));
            bad.addAll(List.of(option, "0.5"));
            assertNotEquals(0, run(bad), option + " with the ridge proxy must be refused, not ignored");
            assertFalse(Files.exists(dir.resolve("bad" + option)), "a refused run writes nothing");
        }
    }

    @Test
    void divergenceStopsTheRunNamesTheStepAndKeepsTheLastCheckpoint(@TempDir Path dir) {
        Path out = dir.resolve("run");
        List<String> args = tiny("pvll", out);
        args.addAll(List.of("--lr", "1e30", "--lr-min", "0"));
        java.io.StringWriter err = new java.io.StringWriter();
        var cmd = Main.commandLine();
        cmd.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cmd.execute(args.toArray(String[]::new)));
        assertTrue(err.toString().contains("weight step"), err.toString());
        assertFalse(Files.exists(out.resolve("genotype.json")));
        // The checkpoint written before the divergence is intact and resumable state.
        var c = org.proxynas.run.Checkpoint.read(out.resolve(RunContext.CHECKPOINT));
        assertEquals("WARMUP", c.field("phase").asText());
        for (float v : c.get("w.classifier.weight", -1)) assertTrue(Float.isFinite(v), "checkpointed weights are finite");
    }

    @Test
    void badOptionsAndResumeTargetsAreRejectedClearly(@TempDir Path dir) throws IOException {
        assertEquals(2, run(List.of("search", "--lr", "-1", "--out", dir.resolve("a").toString())));
        assertFalse(Files.exists(dir.resolve("a")), "nothing is created for an invalid configuration");
        assertEquals(2, run(List.of("search", "--method", "bogus")));
        assertEquals(2, run(List.of("search", "--resume", dir.resolve("missing").toString())));
        Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(dir.resolve("foreign/config.json"), "{\"format\":\"something-else\"}");
        assertEquals(2, run(List.of("search", "--resume", dir.resolve("foreign").toString())));
        // A corrupt checkpoint is refused and left as it was.
        Path out = dir.resolve("run");
        assertEquals(0, run(tiny("random", out)));
        byte[] ckpt = Files.readAllBytes(out.resolve("checkpoint.bin"));
        ckpt[ckpt.length / 2] ^= 0x55;
        Files.write(out.resolve("checkpoint.bin"), ckpt);
        assertEquals(2, run(List.of("search", "--resume", out.toString())));
        assertArrayEquals(ckpt, Files.readAllBytes(out.resolve("checkpoint.bin")));
    }
}
