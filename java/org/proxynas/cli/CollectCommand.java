package org.proxynas.cli;

import org.proxynas.experiment.Collector;
import org.proxynas.experiment.ExperimentDir;
import org.proxynas.experiment.QueueView;
import org.proxynas.experiment.Summary;
import org.proxynas.experiment.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proxynas collect DIR}: one report for a whole experiment, finished or partial. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Write DIR/summary.json and DIR/report.html for an experiment: per method the searches' figures over seeds",
                "(mean, spread, best), each retrained candidate's test accuracy with its seeds, anytime curves, the winner's cells,",
                "and the tasks without a result. Works on a partial experiment."})
public final class CollectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The experiment directory.")
    Path dir;

    @Override
    public Integer call() {
        ExperimentCommand.requireExperiment(dir);
        collect(ExperimentDir.open(dir), System.out);
        return 0;
    }

    static Summary collect(ExperimentDir exp, PrintStream out) {
        QueueView queue = ExperimentStatusCommand.queue(exp);
        Summary s = Collector.collect(exp, TaskStatus.of(exp, queue), queue.source());
        out.println("collected " + s.done() + " of " + s.tasks() + " task results -> " + exp.dir().resolve(Collector.REPORT)
                + ", " + exp.dir().resolve(Collector.SUMMARY));
        return s;
    }
}
