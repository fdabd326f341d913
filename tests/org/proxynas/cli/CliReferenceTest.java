package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/cli.md is generated from the picocli model, so the CLI reference cannot drift from the code: this test
 * fails when the file differs from what the commands say now. Regenerate with
 * {@code tests/run -Dtest=CliReferenceTest -Dproxynas.writeCliDocs=true}.
 */
class CliReferenceTest {
    static final Path FILE = Path.of("docs/cli.md");

    static String reference() {
        CommandLine main = Main.commandLine();
        main.setUsageHelpWidth(110);
        StringBuilder b = new StringBuilder();
        b.append("# Command-line reference\n\n")
                .append("Generated from the picocli model by `CliReferenceTest` (do not edit; regenerate with\n")
                .append("`tests/run -Dtest=CliReferenceTest -Dproxynas.writeCliDocs=true`). Every command also prints this with `--help`.\n\n");
        b.append("```text\n").append(main.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        for (Map.Entry<String, CommandLine> e : main.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            CommandLine sub = e.getValue();
            sub.setUsageHelpWidth(110);
            b.append("\n## proxynas ").append(e.getKey()).append(sub.getCommandSpec().usageMessage().hidden() ? " (hidden)" : "")
                    .append("\n\n```text\n").append(sub.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        }
        return b.toString();
    }

    @Test
    void docsCliMdMatchesTheCommands() throws IOException {
        String now = reference();
        if (Boolean.getBoolean("proxynas.writeCliDocs")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, now, StandardCharsets.UTF_8);
        }
        String onDisk = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "(missing)";
        assertEquals(now, onDisk, "docs/cli.md is stale: regenerate with tests/run -Dtest=CliReferenceTest -Dproxynas.writeCliDocs=true");
    }
}
