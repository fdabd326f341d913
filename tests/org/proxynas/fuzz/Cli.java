package org.proxynas.fuzz;

import org.proxynas.cli.Main;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the proxynas command line in this JVM and captures its exit code, stdout and stderr (System streams included). */
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

    /** A Java stack trace, an exception class name, or a JSON parser's internals (source and reference chain) in the output. */
    public static boolean looksLikeTrace(String text) {
        return text.contains("\tat ") || text.matches("(?s).*\\b(java|javax|com\\.fasterxml|org\\.proxynas)\\.[\\w.$]*(Exception|Error)\\b.*")
                || text.contains("Exception:") || text.contains("Exception in thread")
                || text.contains("[Source:") || text.contains("(through reference chain");
    }
}
