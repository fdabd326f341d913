package org.proxynas.cli;

import org.proxynas.experiment.ExperimentDir;
import org.proxynas.experiment.QueueView;
import org.proxynas.experiment.Selection;
import org.proxynas.experiment.Stage;
import org.proxynas.experiment.Task;
import org.proxynas.experiment.TaskState;
import org.proxynas.experiment.TaskStatus;
import org.proxynas.experiment.Tasks;
import org.proxynas.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code proxynas experiment run-task DIR STAGE [INDEX]}: what a Slurm array task or a Kubernetes pod runs. It
 * runs the task's ordinary command line, or resumes a search from its checkpoint, or does nothing when the task
 * already has its result; a retraining task first writes the selection of genotypes.
 */
@Command(name = "run-task", mixinStandardHelpOptions = true,
        description = "Run one task of an experiment (used by the Slurm scripts and Kubernetes Jobs); INDEX defaults to $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX.")
public final class RunTaskCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;
    @Parameters(index = "1", paramLabel = "STAGE", description = "search or retrain") String stage;
    @Parameters(index = "2", arity = "0..1", paramLabel = "INDEX") Integer index;

    @Option(names = "--device", paramLabel = "N", description = "GPU ordinal passed to the task.") Integer device;

    @Option(names = "--init-from", paramLabel = "FILE", description = "Copy this experiment.json into DIR first when DIR has none (Kubernetes: from the ConfigMap).")
    Path initFrom;

    @Override
    public Integer call() throws IOException {
        if (initFrom != null && !ExperimentDir.exists(dir)) AtomicFiles.write(dir.resolve(ExperimentDir.FILE), Files.readAllBytes(initFrom));
        ExperimentCommand.requireExperiment(dir);
        ExperimentDir exp = ExperimentDir.open(dir);
        Task t = Tasks.get(exp.plan(), Stage.parse(stage), index != null ? index : indexFromEnvironment());
        if (TaskStatus.of(exp, QueueView.NONE).stream().anyMatch(s -> s.task().equals(t) && s.state() == TaskState.DONE)) {
            System.err.println("experiment: " + t.label() + " already has its result; nothing to do");
            return 0;
        }
        Path out = t.out(exp.dir());
        List<String> args;
        if (t.stage() == Stage.RETRAIN) {
            Selection.write(exp);
            if (!Files.isRegularFile(t.genotypeFile(exp.dir()))) {
                throw new UserError(t.label() + ": no rank-" + t.rank() + " genotype of " + t.method() + " (" + t.genotypeFile(exp.dir())
                        + "): too few " + t.method() + " searches have a result");
            }
            deleteTree(t, out);
            args = new ArrayList<>(t.args(exp.dir()));
        } else if (Files.isRegularFile(out.resolve("checkpoint.bin"))) {
            args = new ArrayList<>(List.of("search", "--resume", out.toString()));
        } else {
            // Stopped before its first checkpoint: nothing to keep.
            deleteTree(t, out);
            args = new ArrayList<>(t.args(exp.dir()));
        }
        if (device != null) args.addAll(List.of("--device", device.toString()));
        System.err.println("experiment: " + t.label() + ": proxynas " + String.join(" ", args));
        return Main.commandLine().execute(args.toArray(String[]::new));
    }

    private static int indexFromEnvironment() {
        for (String v : List.of("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX")) {
            String s = System.getenv(v);
            if (s != null && s.matches("[0-9]+")) return Integer.parseInt(s);
        }
        throw new UserError("no INDEX given and neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set");
    }

    /**
     * Clears a task's run directory for a fresh start, unless a process still works in it (a task left running when
     * the experiment that started it was killed): its files are never deleted under it.
     */
    private static void deleteTree(Task t, Path p) throws IOException {
        if (!Files.exists(p)) return;
        if (RunDirectory.heldByAnother(p)) {
            throw new UserError(t.label() + ": " + p + " is in use by another proxynas process (a task still running from an earlier start?); "
                    + "let it finish or stop it, then resume again");
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
