package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run written before SearchConfig was grouped (flat 'search' object in config.json; resources/flat-config-run,
 * killed at search iteration 3) resumes with the current code and ends as the same run did uninterrupted.
 */
class LegacyConfigResumeTest {
    private static final String RUN = "flat-config-run/";

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = LegacyConfigResumeTest.class.getResourceAsStream(RUN + resource)) {
            assertNotNull(in, "test resource " + RUN + resource);
            Files.copy(in, to);
        }
    }

    @Test
    void aRunWithTheFlatConfigLayoutResumesToTheUninterruptedResult(@TempDir Path dir) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        for (String f : List.of("config.json", "checkpoint.bin", "metrics.jsonl", "log.txt")) copy(f, run.resolve(f));
        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"lrMin\" : 0.025") && !config.contains("\"supernet\""), "the resource must keep the flat layout");

        Cli.Outcome o = Cli.run("search", "--resume", run.toString());
        assertEquals(0, o.code(), o.all());

        for (String f : List.of("genotype.txt", "alpha.json")) {
            Path expected = dir.resolve("uninterrupted-" + f);
            copy("uninterrupted/" + f, expected);
            assertEquals(Files.readString(expected), Files.readString(run.resolve(f)), f + " of the resumed run");
        }
        assertEquals(config, Files.readString(run.resolve("config.json")), "a resume leaves config.json as the run wrote it");
    }
}
