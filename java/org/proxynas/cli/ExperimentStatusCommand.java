package org.proxynas.cli;

import org.proxynas.experiment.Engine;
import org.proxynas.experiment.ExperimentDir;
import org.proxynas.experiment.QueueView;
import org.proxynas.experiment.SlurmQueue;
import org.proxynas.experiment.TaskState;
import org.proxynas.experiment.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proxynas experiment status DIR}: each task's state, from its run directory and the scheduler. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each task's state: its run directory says whether it has a result; on Slurm, sacct (or squeue where accounting is off) says whether it is queued, running or ended.")
public final class ExperimentStatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The experiment directory.")
    Path dir;

    @Override
    public Integer call() {
        ExperimentCommand.requireExperiment(dir);
        ExperimentDir exp = ExperimentDir.open(dir);
        QueueView queue = queue(exp);
        List<TaskStatus> all = TaskStatus.of(exp, queue);
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        for (TaskStatus s : all) {
            System.out.printf("%-34s %-10s %s%n", s.task().label(), s.state(), s.detail());
            counts.merge(s.state(), 1, Integer::sum);
        }
        System.out.println(counts + "; states from the run directories and " + queue.source());
        return 0;
    }

    static QueueView queue(ExperimentDir exp) {
        return exp.engine() == Engine.slurm ? SlurmQueue.query(exp.submissions()) : QueueView.NONE;
    }
}
