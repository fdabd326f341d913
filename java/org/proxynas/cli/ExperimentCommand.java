package org.proxynas.cli;

import org.proxynas.experiment.Collector;
import org.proxynas.experiment.Engine;
import org.proxynas.experiment.ExperimentDir;
import org.proxynas.experiment.K8sManifests;
import org.proxynas.experiment.LocalEngine;
import org.proxynas.experiment.Plan;
import org.proxynas.experiment.PlanException;
import org.proxynas.experiment.PlanReader;
import org.proxynas.experiment.SlurmEngine;
import org.proxynas.experiment.Stage;
import org.proxynas.experiment.Task;
import org.proxynas.experiment.Tasks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code proxynas experiment PLAN}: expands a plan into tasks and runs them here, on Slurm or on Kubernetes. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ExperimentStatusCommand.class, ExperimentResumeCommand.class, RunTaskCommand.class},
        description = {"Run an experiment plan (YAML or JSON): searches (methods x seeds), retraining of the top-k genotypes",
                "of each method (x seeds), then `proxynas collect`. Each task is an ordinary `proxynas search|train ... --out",
                "DIR/<stage>/<i>` command line (--dry-run prints them). Subcommands: status DIR, resume DIR."})
public final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "The plan file (.yaml, .yml or .json).")
    Path plan;

    @Option(names = "--engine", defaultValue = "local", description = "local (here, --parallel at once), slurm (sbatch array jobs) or k8s (Indexed Job manifests). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--dir", paramLabel = "DIR", description = "The experiment directory (default: experiments/<plan name>); on Slurm it must be on a file system the nodes share.")
    Path dir;

    @Option(names = "--dry-run", description = "Print every task's command line and write nothing.")
    boolean dryRun;

    @CommandLine.Mixin LocalOptions local = new LocalOptions();

    @Option(names = "--launcher", paramLabel = "CMD",
            description = "The command that runs ProxyNAS in a task (default: the plan's 'launcher', else $PROXYNAS_LAUNCHER, which ./proxynas sets, else 'proxynas').")
    String launcher;

    @Override
    public Integer call() {
        if (plan == null) throw new UserError("give a plan file (proxynas experiment PLAN), or a subcommand: status DIR, resume DIR");
        Plan p = PlanReader.read(plan);
        checkOptions(p);
        if (engine == Engine.k8s) K8sManifests.check(p, plan.toString());
        Path where = dir != null ? dir : Path.of("experiments", p.name());
        ExperimentDir exp = new ExperimentDir(where, p, engine, launcherWords(p), List.of());
        if (dryRun) {
            for (Stage s : Stage.values()) {
                for (Task t : exp.tasks(s)) System.out.println(s.dirName() + "/" + t.index() + ": proxynas " + String.join(" ", t.args(exp.dir())));
            }
            System.out.println("collect: proxynas collect " + exp.dir());
            if (p.hasRetrain()) {
                System.out.println("(retraining genotypes are the top " + p.retrain().top() + " searches of each method by best validation loss, "
                        + "written to " + exp.dir().resolve("selected") + " when the searches are done)");
            }
            return 0;
        }
        if (ExperimentDir.exists(exp.dir())) {
            throw new UserError(exp.dir() + " already holds an experiment: `proxynas experiment status|resume " + exp.dir() + "`, or choose another --dir");
        }
        if (Files.exists(exp.dir()) && !(Files.isDirectory(exp.dir()) && isEmpty(exp.dir()))) {
            throw new UserError("--dir " + exp.dir() + (Files.isDirectory(exp.dir()) ? " is not empty and holds no experiment (no " + ExperimentDir.FILE + ")"
                    : " exists and is a file") + ": give a new or empty folder, so two experiments never mix");
        }
        exp.save();
        Map<Stage, List<Integer>> all = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) all.put(s, indices(exp.tasks(s)));
        return switch (engine) {
            case local -> runLocal(exp, all, local);
            case slurm -> {
                SlurmEngine.writeScripts(exp);
                ExperimentDir after = SlurmEngine.submit(exp, all, List.of(), List.of());
                after.submissions().forEach(s -> System.out.println("submitted " + s.stage() + " as Slurm job " + s.jobId()
                        + (s.indices().isEmpty() ? "" : " (array " + s.indices().size() + " tasks)")));
                System.out.println("scripts in " + exp.dir().resolve("slurm") + "; follow with `proxynas experiment status " + exp.dir() + "`");
                yield 0;
            }
            case k8s -> {
                List<String> steps = K8sManifests.write(exp);
                System.out.println("manifests in " + K8sManifests.dir(exp) + " (image " + p.k8s().image() + ", built from deploy/Dockerfile); run:");
                steps.forEach(s -> System.out.println("  " + s));
                System.out.println("the report lands on the volume: " + K8sManifests.MOUNT + "/" + Collector.REPORT);
                yield 0;
            }
        };
    }

    static int runLocal(ExperimentDir exp, Map<Stage, List<Integer>> todo, LocalOptions local) {
        List<String> failed = new LocalEngine(exp, local.parallel, local.devices, System.err).run(todo);
        CollectCommand.collect(exp, System.out);
        if (!failed.isEmpty()) {
            System.err.println("experiment: " + failed.size() + " task(s) without a result: " + failed
                    + "; `proxynas experiment resume " + exp.dir() + "` runs them again");
            return 1;
        }
        return 0;
    }

    static List<Integer> indices(List<Task> tasks) {
        List<Integer> out = new ArrayList<>();
        for (Task t : tasks) out.add(t.index());
        return out;
    }

    private List<String> launcherWords(Plan p) {
        String l = launcher != null ? launcher : p.launcher() != null ? p.launcher()
                : System.getenv("PROXYNAS_LAUNCHER") != null ? System.getenv("PROXYNAS_LAUNCHER") : "proxynas";
        return List.of(l.strip().split("\\s+"));
    }

    /** The plan's options must parse as the commands' own (a misspelt option fails here, not in every task). */
    private void checkOptions(Plan p) {
        Path probe = Path.of("experiments", p.name());
        for (Stage s : Stage.values()) {
            List<Task> tasks = Tasks.of(p, s);
            if (tasks.isEmpty()) continue;
            try {
                Main.commandLine().parseArgs(tasks.getFirst().args(probe).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new PlanException(plan + ": field '" + s.dirName() + ".options': proxynas " + tasks.getFirst().args(probe).getFirst()
                        + " rejects them: " + e.getMessage());
            }
        }
    }

    /** --parallel and --devices for the local engine (also taken by resume). */
    public static final class LocalOptions {
        @Option(names = "--parallel", defaultValue = "1", description = "Local engine: tasks at once (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Option(names = "--devices", split = ",", paramLabel = "N,N",
                description = "Local engine: GPU ordinals; one task per GPU at a time, each given --device (overrides --parallel).")
        List<Integer> devices = new ArrayList<>();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UserError("--dir " + dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    static void requireExperiment(Path dir) {
        if (!Files.isDirectory(dir)) throw new UserError(dir + ": no such experiment directory");
    }
}
