package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.run.MetricsLog;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    @TempDir Path tmp;

    private static ReportCommand parse(String... args) {
        ReportCommand c = new ReportCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void regeneratesTheReport() {
        Path dir = tmp.resolve("run");
        new MetricsLog(dir.resolve("metrics.jsonl")).append(MetricsLog.record("phase", "warmup", "sample", 1, "train_loss", 2.3,
                "elapsed_s", 1.0));
        assertEquals(0, parse(dir.toString()).call());
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        assertTrue(Files.isRegularFile(dir.resolve("loss.png")));
    }

    @Test
    void clearErrorsForAMissingDirectoryOrMetrics() throws IOException {
        UserError e = assertThrows(UserError.class, () -> parse(tmp.resolve("nope").toString()).call());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(UserError.class, () -> parse(empty.toString()).call());
        assertTrue(e.getMessage().contains("no metrics.jsonl"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        e = assertThrows(UserError.class, () -> parse(file.toString()).call());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void helpNamesTheCommand() {
        String usage = new CommandLine(new ReportCommand()).getUsageMessage();
        assertTrue(usage.contains("report") && usage.contains("DIR"), usage);
    }
}
