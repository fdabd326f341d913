package org.proxynas.cli;

import org.proxynas.search.RunContext;

/** Records why a run stopped in its log.txt, so a failed resume leaves its error beside its "resuming" line. */
final class RunFailure {
    private RunFailure() {}

    static void log(RunContext ctx, RuntimeException e) {
        try {
            ctx.log("error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } catch (RuntimeException ignored) {
            // the log cannot be written either (a full disk): the error still reaches stderr through the caller
        }
    }
}
