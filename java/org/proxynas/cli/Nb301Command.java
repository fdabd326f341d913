package org.proxynas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code proxynas nb301 ...}: the NAS-Bench-301 surrogate shipped in the jar. */
@Command(name = "nb301", mixinStandardHelpOptions = true,
        description = {"The NAS-Bench-301 surrogate (YAHPO Gym's nb301 model, shipped in the jar): predicted CIFAR-10 "
                + "validation accuracy and training time of DARTS genotypes without training them. See docs/nb301.md."},
        subcommands = {Nb301PredictCommand.class})
public final class Nb301Command implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }
}
