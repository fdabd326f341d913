package org.proxynas.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One input format under fuzz: {@code scene} lays out a valid case in a fresh folder (the file to damage, the command
 * line that reads it through the CLI, the new run folder if any, and the file a success must produce); the harness
 * damages the file {@code cases} times. {@code text}: also splice and retype JSON values; {@code checksum}: re-signs a
 * damaged file so the parser behind the checksum is reached (null: none); {@code structured}: a format-aware damage
 * drawn for half the cases (null: none), for formats whose byte-level damage rarely reaches past the parser.
 */
public record FuzzTarget(String name, int cases, boolean text, UnaryOperator<byte[]> checksum, Function<Path, Scene> scene,
                         Mutations.Structured structured) {
    public FuzzTarget(String name, int cases, boolean text, UnaryOperator<byte[]> checksum, Function<Path, Scene> scene) {
        this(name, cases, text, checksum, scene, null);
    }

    /**
     * A prepared case. {@code newRun}: the folder a new run would create (must not exist after a failure), or null
     * for commands that work in an existing folder; {@code success}: the file a successful run must leave;
     * {@code judge}: for commands whose outcomes are more than "exit 0 with the file, or a named error" (null: that
     * default).
     */
    public record Scene(Path fuzzed, List<String> args, Path newRun, Path success, Judge judge) {
        public Scene(Path fuzzed, List<String> args, Path newRun, Path success) { this(fuzzed, args, newRun, success, null); }
    }

    /** Decides whether an outcome is a correct result or a named error: null when it is, else what is wrong. */
    @FunctionalInterface
    public interface Judge {
        String problem(Cli.Outcome outcome);
    }
}
