package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.run.JsonFiles;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    @TempDir Path tmp;

    private static final String[] TINY = {"--backend", "cpu", "--threads", "1", "--channels", "4", "--layers", "3",
            "--image-size", "8", "--batch", "2", "--eval-batch", "3", "--iters", "3"};

    private static BenchCommand parse(String... args) {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true).parseArgs(args);
        return c;
    }

    private static String[] tiny(String... more) {
        List<String> a = new ArrayList<>(List.of(TINY));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void tinyCpuRunWritesThePeersJsonWithPositiveTimes() throws IOException {
        Path out = tmp.resolve("bench.json");
        assertEquals(0, parse(tiny("--out", out.toString())).call());
        JsonNode root = JsonFiles.mapper().readTree(out.toFile());
        JsonNode meta = root.get("meta");
        assertEquals("cpu", meta.get("backend").asText());
        assertEquals(4, meta.get("args").get("channels").asInt());
        assertTrue(meta.get("param_count").asLong() > 0);
        assertFalse(meta.get("date").asText().isEmpty());
        JsonNode runs = root.get("runs");
        assertEquals(4, runs.size(), "mixture and single, train_step and eval_forward");
        List<String> seen = new ArrayList<>();
        for (JsonNode r : runs) {
            seen.add(r.get("mode").asText() + "/" + r.get("phase").asText());
            assertEquals("proxynas", r.get("variant").asText());
            assertEquals("ok", r.get("status").asText(), r.toString());
            assertEquals(r.get("phase").asText().equals("train_step") ? 2 : 3, r.get("batch").asInt());
            assertEquals(3, r.get("times_ms").size());
            assertEquals(3, r.get("wall_ms").size());
            assertEquals(3, r.get("cpu_ms").size());
            for (JsonNode t : r.get("cpu_ms")) assertTrue(t.asDouble() > 0, r.toString());
            for (JsonNode t : r.get("times_ms")) assertTrue(t.asDouble() > 0, r.toString());
            double median = r.get("median_ms").asDouble(), p10 = r.get("p10_ms").asDouble(), p90 = r.get("p90_ms").asDouble();
            assertTrue(p10 > 0 && p10 <= median && median <= p90, r.toString());
            // median_ms is written to 3 decimals and images_per_s to 1: allow both roundings, nothing more.
            double ips = r.get("images_per_s").asDouble();
            assertEquals(r.get("batch").asInt() / (median / 1e3), ips, 0.05 + ips * 0.0005 / (median - 0.0005) + 1e-9, r.toString());
            assertFalse(r.get("gpu_timed").asBoolean());
            assertTrue(r.get("peak_device_bytes").isNull(), "the CPU backend has no device memory to report");
            assertTrue(r.get("heap_retained_bytes").asLong() > 0, r.toString());
        }
        assertEquals(List.of("mixture/train_step", "mixture/eval_forward", "single/train_step", "single/eval_forward"), seen);
        assertEquals(0, root.get("skipped_for_budget").size());
        assertFalse(root.get("budget").get("exhausted").asBoolean());
    }

    @Test
    void theEmulationsHostClockIsNotReportedAsDeviceTime() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.proxynas.cuda.EmulatedLauncher.available(), "CUDA emulation library not built");
        Path out = tmp.resolve("bench.json");
        String[] args = {"--backend", "emulated", "--channels", "2", "--layers", "3", "--image-size", "8", "--batch", "2",
                "--eval-batch", "2", "--iters", "1", "--warmup", "1", "--min-iters", "1", "--n-batches", "1", "--modes", "single",
                "--out", out.toString()};
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, parse(args).call());
        } finally {
            System.setOut(stdout);
        }
        for (JsonNode r : JsonFiles.mapper().readTree(out.toFile()).get("runs")) {
            assertEquals("ok", r.get("status").asText(), r.toString());
            assertFalse(r.get("gpu_timed").asBoolean(), "emulated kernels run on the CPU: " + r);
        }
        String table = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(table.contains("times: host wall clock"), table);
        assertFalse(table.contains("CUDA events"), table);
    }

    @Test
    void aSpentBudgetSkipsTheRemainingRunsAndSaysSo() throws IOException {
        Path out = tmp.resolve("bench.json");
        assertEquals(0, parse(tiny("--budget-seconds", "1e-9", "--modes", "single", "--out", out.toString())).call());
        JsonNode root = JsonFiles.mapper().readTree(out.toFile());
        assertEquals(0, root.get("runs").size());
        assertEquals(List.of("proxynas/single/train_step", "proxynas/single/eval_forward"),
                JsonFiles.mapper().convertValue(root.get("skipped_for_budget"), List.class));
        assertTrue(root.get("budget").get("exhausted").asBoolean());
    }

    @Test
    void badArgumentsNameTheOptionAndWhatWasExpected() {
        assertError("--batch must be > 0, got 0", "--batch", "0");
        assertError("--eval-batch must be > 0, got -1", "--eval-batch", "-1");
        assertError("--modes: unknown mode 'both'; expected one of mixture, single", "--modes", "mixture,both");
        assertError("--phases: unknown phase 'train'; expected one of train_step, eval_forward", "--phases", "train");
        assertError("--modes names nothing", "--modes", ",");
        assertError("--layers must be >= 3", "--layers", "2");
        assertError("--budget-seconds must be a positive number, got 0.0", "--budget-seconds", "0");
        assertError("--iters must be > 0, got 0", "--iters", "0");
        assertError("--warmup must be >= 0, got -1", "--warmup", "-1");
        assertError("--threads must be >= 0, got -2", "--threads", "-2");
    }

    private void assertError(String expected, String... args) {
        UserError e = assertThrows(UserError.class, () -> parse(tiny(args)).call());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void isRegisteredAndDocumented() {
        String usage = Main.commandLine().getSubcommands().get("bench").getUsageMessage();
        for (String option : List.of("--backend", "--channels", "--layers", "--batch", "--eval-batch", "--modes", "--phases",
                "--warmup", "--iters", "--budget-seconds", "--seed", "--out")) {
            assertTrue(usage.contains(option), option + " missing from\n" + usage);
        }
    }
}
