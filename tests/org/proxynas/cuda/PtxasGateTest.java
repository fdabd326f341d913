package org.proxynas.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** native-build/ptxas-gate.sh, the build's gate on register spills and stack frames, on recorded ptxas logs. */
class PtxasGateTest {
    private static final Path GATE = Path.of("native-build/ptxas-gate.sh");

    record Result(int exit, String output) {}

    static Result gate(Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", GATE.toString(), log.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    @Test
    void cleanLogPasses() throws Exception {
        Result r = gate(Path.of("tests/resources/cuda/ptxas-clean.log"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("4 kernel build(s), no spills"), r.output());
    }

    @Test
    void spillsAndStackFramesFail() throws Exception {
        Result r = gate(Path.of("tests/resources/cuda/ptxas-spill.log"));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("axpy_f32 (sm_86): 0 bytes stack frame, 16 bytes spill stores, 16 bytes spill loads"), r.output());
        assertTrue(r.output().contains("relu_f32 (sm_90): 24 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads"), r.output());
        assertTrue(r.output().contains("FAILED, 2 kernel build(s)"), r.output());
    }

    @Test
    void logWithoutKernelsIsRejected(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.log"), "nvcc fatal : something else\n");
        assertEquals(2, gate(empty).exit());
    }

    @Test
    void thisBuildsResourceUsagePasses() throws Exception {
        Path usage = Path.of("target/cuda-resource-usage.txt");
        assumeTrue(Files.isRegularFile(usage), "no nvcc in this build");
        Result r = gate(usage);
        assertEquals(0, r.exit(), r.output());
    }
}
