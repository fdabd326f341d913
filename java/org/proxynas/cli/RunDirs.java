package org.proxynas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Output directories: runs/&lt;kind&gt;-&lt;timestamp&gt; unless --out names one. */
final class RunDirs {
    private RunDirs() {}

    static Path create(Path requested, String kind) {
        Path dir = requested != null ? requested
                : Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError("--out " + dir + " exists and is not a directory");
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UserError("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
