package org.proxynas.fuzz;

import org.proxynas.cli.Main;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the proxynas command line in this JVM and captures its exit code, stdout and stderr (System streams included);
 * or in a child JVM, for tests that kill it.
 */
public final class Cli {
    /** What a command did; {@code thrown} is an exception that escaped picocli's handler (a crash), else null. */
    public record Outcome(int code, String out, String err, Throwable thrown) {
        public String all() { return out + err; }

        /** True for a clean named error: exit 2, one "proxynas: error:" line, no stack trace or exception class name. */
        public boolean cleanError() {
            return thrown == null && code == 2 && err.contains("proxynas: error: ") && !looksLikeTrace(err);
        }
    }

    private Cli() {}

    public static Outcome run(String... args) { return run(List.of(args)); }

    public static synchronized Outcome run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        int code = -1;
        Throwable thrown = null;
        try {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            code = cl.execute(args.toArray(String[]::new));
        } catch (Throwable t) {
            thrown = t;
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), thrown);
    }

    /** Starts the command line in a child JVM on this JVM's class path; stdout and stderr both go to {@code log}. */
    public static Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Kills a child and every process it started (an experiment's tasks) as a crash of the machine would: SIGSTOP first,
     * so it starts nothing new while its descendants are listed, then SIGKILL to each; returns once all are gone.
     */
    public static void kill(Process p) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor();
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        for (ProcessHandle h : all) h.destroyForcibly();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("process " + h.pid() + " did not end after SIGKILL", e);
            }
        }
    }

    /**
     * A Java stack trace, an exception class name, a parser library's class name, or a JSON parser's internals (source
     * and reference chain) in the output.
     */
    public static boolean looksLikeTrace(String text) {
        return text.contains("\tat ") || text.matches("(?s).*\\b(java|javax|com\\.fasterxml|org\\.proxynas)\\.[\\w.$]*(Exception|Error)\\b.*")
                || text.matches("(?s).*\\b(org\\.yaml\\.snakeyaml|com\\.google\\.protobuf|com\\.fasterxml\\.jackson)\\.\\w.*")
                || text.contains("Exception:") || text.contains("Exception in thread")
                || text.contains("[Source:") || text.contains("(through reference chain");
    }
}
