package org.proxynas.cli;

import java.nio.file.Path;

/**
 * Output directories for commands without --force or --resume: runs/&lt;kind&gt;-&lt;timestamp&gt; unless --out names one,
 * under the rules of {@link RunDirectory} (an empty path, a file or a non-empty folder is refused).
 */
final class RunDirs {
    private RunDirs() {}

    static Path create(Path requested, String kind) {
        Path dir = RunDirectory.check(requested, kind, false);
        try (RunDirectory d = RunDirectory.create(dir, staging -> {})) {
            return d.path();
        }
    }
}
