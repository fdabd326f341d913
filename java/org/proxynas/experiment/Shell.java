package org.proxynas.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a scheduler tool and captures what it printed. */
final class Shell {
    record Result(int exit, String out) {}

    private Shell() {}

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            return new Result(127, command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, command.getFirst() + ": interrupted");
        }
    }

    /** A word quoted for a POSIX shell. */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_@%+=:,./-]+")) return word;
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) b.append(b.isEmpty() ? "" : " ").append(quote(w));
        return b.toString();
    }
}
