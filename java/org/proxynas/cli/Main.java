package org.proxynas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code proxynas} command line. */
@Command(name = "proxynas", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Neural architecture search via proxy validation (PVLL-NAS) on the DARTS cell space.",
        subcommands = {InfoCommand.class, SearchCommand.class, EvolveCommand.class, DiagnoseCommand.class,
                JudgeCommand.class, TrainCommand.class, PretrainGaeCommand.class, ReportCommand.class,
                ExperimentCommand.class, CollectCommand.class, BenchCommand.class, BenchPlotCommand.class, BenchmarkCommand.class,
                Nb301Command.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    // A user error (bad file, bad value) prints one clear line; anything else keeps its trace.
                    if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                            || ex instanceof java.io.UncheckedIOException || ex instanceof org.proxynas.data.DatasetException
                            || ex instanceof org.proxynas.train.DivergedException || ex instanceof org.proxynas.run.Checkpoint.CheckpointException) {
                        cmd.getErr().println("proxynas: error: " + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                });
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli's handler; the checks before a run make this rare, but it must not end in a trace.
            System.err.println("proxynas: error: out of memory (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): lower --layers, --channels or --batch, or raise the heap with PROXYNAS_JAVA_OPTS=-Xmx...");
            code = 2;
        }
        System.exit(code);
    }
}
