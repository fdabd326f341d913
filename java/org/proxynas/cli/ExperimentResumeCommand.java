package org.proxynas.cli;

import org.proxynas.experiment.Engine;
import org.proxynas.experiment.ExperimentDir;
import org.proxynas.experiment.K8sManifests;
import org.proxynas.experiment.QueueView;
import org.proxynas.experiment.SlurmEngine;
import org.proxynas.experiment.Stage;
import org.proxynas.experiment.Submission;
import org.proxynas.experiment.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code proxynas experiment resume DIR}: runs again only the tasks that are missing or failed. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Run again only the tasks without a result that are not queued or running (a search resumes from its",
                "checkpoint), on the experiment's engine, then collect."})
public final class ExperimentResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The experiment directory.")
    Path dir;

    @Mixin ExperimentCommand.LocalOptions local = new ExperimentCommand.LocalOptions();

    @Override
    public Integer call() {
        ExperimentCommand.requireExperiment(dir);
        ExperimentDir exp = ExperimentDir.open(dir);
        QueueView queue = ExperimentStatusCommand.queue(exp);
        Map<Stage, List<Integer>> todo = new EnumMap<>(Stage.class);
        Set<String> activeSearch = new LinkedHashSet<>(), active = new LinkedHashSet<>();
        for (TaskStatus s : TaskStatus.of(exp, queue)) {
            if (s.state().needsRun()) {
                todo.computeIfAbsent(s.task().stage(), k -> new ArrayList<>()).add(s.task().index());
                System.out.println("resuming " + s.task().label() + ": " + s.state() + " (" + s.detail() + ")");
            } else if (s.state().active()) {
                Submission sub = exp.submissionOf(s.task());
                active.add(sub.jobId());
                if (s.task().stage() == Stage.SEARCH) activeSearch.add(sub.jobId());
            }
        }
        if (todo.isEmpty()) {
            System.out.println("nothing to resume: every task has a result or is queued/running (" + queue.source() + ")");
            return 0;
        }
        return switch (exp.engine()) {
            case local -> ExperimentCommand.runLocal(exp, todo, local);
            case slurm -> {
                SlurmEngine.writeScripts(exp);
                int before = exp.submissions().size();
                ExperimentDir after = SlurmEngine.submit(exp, todo, List.copyOf(activeSearch), List.copyOf(active));
                for (Submission s : after.submissions().subList(before, after.submissions().size())) {
                    System.out.println("submitted " + s.stage() + " as Slurm job " + s.jobId() + (s.indices().isEmpty() ? "" : " (tasks " + s.indices() + ")"));
                }
                yield 0;
            }
            case k8s -> {
                String ns = " -n " + exp.plan().k8s().namespace();
                for (Stage s : todo.keySet()) {
                    String job = exp.plan().name() + "-" + s.dirName();
                    System.out.println("  kubectl delete" + ns + " job/" + job + " --ignore-not-found && kubectl apply" + ns + " -f "
                            + K8sManifests.dir(exp).resolve(s.dirName() + ".yaml") + "   # finished indices exit at once");
                }
                System.out.println("  kubectl apply" + ns + " -f " + K8sManifests.dir(exp).resolve("collect.yaml") + "   # after they complete");
                yield 0;
            }
        };
    }
}
