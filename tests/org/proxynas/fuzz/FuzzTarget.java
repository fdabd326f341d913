package org.proxynas.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One input format under fuzz: {@code scene} lays out a valid case in a fresh folder (the file to damage, the command
 * line that reads it through the CLI, the new run folder if any, and the file a success must produce); the harness
 * damages the file {@code cases} times. {@code text}: also splice and retype JSON values; {@code checksum}: re-signs a
 * damaged file so the parser behind the checksum is reached (null: none).
 */
public record FuzzTarget(String name, int cases, boolean text, UnaryOperator<byte[]> checksum, Function<Path, Scene> scene) {
    /**
     * A prepared case. {@code newRun}: the folder a new run would create (must not exist after a failure), or null
     * for commands that work in an existing folder; {@code success}: the file a successful run must leave.
     */
    public record Scene(Path fuzzed, List<String> args, Path newRun, Path success) {}
}
