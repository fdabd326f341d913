package org.proxynas.cli;

import org.proxynas.search.SearchConfig;
import picocli.CommandLine.Command;

/** {@code proxynas evolve}: the evolutionary PVLL variant (docs/method.md#evolutionary-form); every search option applies. */
@Command(name = "evolve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evolutionary PVLL-NAS: a steady-state population whose best individual is mutated by a step down",
                "the proxy landscape. Same options and outputs as 'search'."})
public final class EvolveCommand extends SearchCommand {
    @Override
    protected String defaultMethod() { return "evolve"; }

    @Override
    SearchConfig resolve() {
        if (method != null && !method.equals("evolve")) throw new UserError("evolve runs --method evolve; use 'search --method " + method + "'");
        return super.resolve();
    }

    @Override
    protected void checkResumedMethod(java.nio.file.Path dir, SearchConfig.Method method) {
        if (method != SearchConfig.Method.evolve) {
            throw new UserError("--resume " + dir + " is a " + method + " run; resume it with 'search --resume " + dir + "'");
        }
    }
}
