package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.proxynas.cuda.CudaProbe;
import org.proxynas.tensor.Backend;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** --backend: auto says what it chose and why; cuda where it cannot run is one clear error naming the reason. */
class BackendOptionTest {
    @Test
    void autoFallsBackToTheCpuAndSaysWhyWhereCudaIsUnavailable() {
        CudaProbe.Status s = CudaProbe.probe();
        assumeFalse(s.available(), "a usable GPU is present: auto would pick it");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Backend b = BackendOption.open(BackendOption.Kind.auto, 1, 0, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertEquals("cpu", b.name());
        }
        String line = log.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("backend: cpu (auto: CUDA unavailable: " + s.reason()), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void cudaWhereItCannotRunIsAClearErrorBeforeAnythingIsWritten(@org.junit.jupiter.api.io.TempDir Path dir) {
        CudaProbe.Status s = CudaProbe.probe();
        assumeFalse(s.available(), "a usable GPU is present");
        for (String command : new String[] {"search", "train", "pretrain-gae"}) {
            StringWriter err = new StringWriter();
            var cmd = Main.commandLine();
            cmd.setErr(new PrintWriter(err, true));
            Path out = dir.resolve(command);
            String[] args = switch (command) {
                case "train" -> new String[] {"train", "--genotype", "DARTS_V2", "--backend", "cuda", "--out", out.toString()};
                case "pretrain-gae" -> new String[] {"pretrain-gae", "--backend", "cuda", "--out", out.toString()};
                default -> new String[] {"search", "--backend", "cuda", "--out", out.toString()};
            };
            assertEquals(2, cmd.execute(args), command);
            assertTrue(err.toString().contains("--backend cuda: not available here: " + s.reason()), command + ": " + err);
            assertFalse(out.toFile().exists(), command + " wrote " + out);
        }
    }

    @Test
    void badDeviceAndThreadCountsAreRejected() {
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(2, cmd.execute("train", "--genotype", "DARTS_V2", "--device", "-1"));
        assertTrue(err.toString().contains("--device must be >= 0, got -1"), err.toString());
        assertEquals(2, cmd.execute("train", "--genotype", "DARTS_V2", "--threads", "-2"));
        assertTrue(err.toString().contains("--threads must be >= 0, got -2"), err.toString());
    }
}
