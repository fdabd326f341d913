package org.proxynas.cuda;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.fuzz.Fixtures;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code proxynas search} and {@code proxynas train} with {@code --backend emulated}, through the command line in
 * this JVM: the CUDA backend's whole path (supernet and evaluation network, optimiser, checkpoints) on the emulated
 * kernels, at the smallest sizes (C=2, L=3; train on 12 + 4 Fashion-MNIST-format images, since the built-in sets'
 * 1000 test images take minutes to evaluate under emulation, and without the auxiliary head, whose launches take
 * ~10 s of CPU a step there; EmulatedRetrainTest covers it). .ci/run runs the same two commands from the jar.
 */
@ExtendWith(EmulationAvailable.class)
class EmulatedCliTest {
    private static String backend(Path run) throws IOException {
        return JsonFiles.mapper().readTree(run.resolve("config.json").toFile()).path("backend").asText();
    }

    @Test
    void searchRunsOnTheEmulatedKernels(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("search");
        Cli.Outcome o = Cli.run("search", "--backend", "emulated", "--method", "random", "--dataset", "synthetic",
                "--warmup-samples", "2", "--iterations", "1", "--steps-per-sample", "1", "--channels", "2", "--layers", "3",
                "--batch", "8", "--data-fraction", "0.02", "--val-fraction", "0.2", "--eval-batch", "64", "--threads", "2",
                "--heldout", "0", "--out", out.toString());
        assertEquals(0, o.code(), o.all());
        assertTrue(Files.size(out.resolve("genotype.json")) > 0, "genotype.json");
        assertEquals("emulated", backend(out), "what --resume reopens (not \"cuda\": a GPU)");
    }

    @Test
    void trainRunsOnTheEmulatedKernels(@TempDir Path dir) throws IOException {
        Path data = Fixtures.fashionMnist(dir.resolve("data"), 12, 4), out = dir.resolve("train");
        Cli.Outcome o = Cli.run("train", "--backend", "emulated", "--genotype", "DARTS_V2", "--dataset", "fashion-mnist",
                "--data", data.toString(), "--epochs", "1", "--layers", "3", "--channels", "2", "--batch", "4",
                "--cutout", "0", "--no-auxiliary", "--threads", "2", "--out", out.toString());
        assertEquals(0, o.code(), o.all());
        JsonNode result = JsonFiles.mapper().readTree(out.resolve("result.json").toFile());
        assertTrue(Double.isFinite(result.path("testLoss").asDouble(Double.NaN)), result.toString());
        assertTrue(backend(out).contains("CPU emulation of the CUDA kernels"), backend(out));
    }
}
