package org.proxynas.experiment;

import org.proxynas.run.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Slurm: one sbatch script per stage, an array job whose task SLURM_ARRAY_TASK_ID runs
 * {@code proxynas experiment run-task DIR STAGE} (the stage's ordinary command line for that index); the
 * retraining array waits for the searches (afterok) and the collect job for everything (afterany, so a partial
 * experiment still gets its report). Resources and extra options come from the plan.
 */
public final class SlurmEngine {
    private SlurmEngine() {}

    public static Path script(ExperimentDir exp, String stage) { return exp.dir().resolve("slurm").resolve(stage + ".sbatch"); }

    /** Writes the three scripts (search, retrain where planned, collect). */
    public static void writeScripts(ExperimentDir exp) {
        try {
            // Slurm fails a job whose --output directory does not exist.
            Files.createDirectories(exp.logs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + exp.logs() + ": " + e.getMessage(), e);
        }
        for (Stage s : Stage.values()) {
            int n = exp.tasks(s).size();
            if (n == 0) continue;
            String array = "0-" + (n - 1) + "%" + exp.plan().resources().maxParallel();
            List<String> cmd = new ArrayList<>(exp.launcher());
            cmd.addAll(List.of("experiment", "run-task", exp.dir().toString(), s.dirName()));
            write(exp, s.dirName(), true, array, Shell.join(cmd) + " \"$SLURM_ARRAY_TASK_ID\"");
        }
        List<String> collect = new ArrayList<>(exp.launcher());
        collect.addAll(List.of("collect", exp.dir().toString()));
        write(exp, "collect", false, null, Shell.join(collect));
    }

    private static void write(ExperimentDir exp, String stage, boolean task, String array, String command) {
        Plan.Resources r = exp.plan().resources();
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("# ProxyNAS experiment ").append(exp.plan().name()).append(", stage ").append(stage)
                .append(task ? ": array task i runs the stage's task i (proxynas experiment ... --dry-run prints them)\n" : "\n");
        b.append("#SBATCH --job-name=").append(exp.plan().name()).append('-').append(stage).append('\n');
        b.append("#SBATCH --output=").append(exp.logs().resolve(stage + (task ? "-%a" : "") + ".log")).append('\n');
        if (task) {
            b.append("#SBATCH --array=").append(array).append('\n');
            b.append("#SBATCH --cpus-per-task=").append(r.cpus()).append('\n');
            if (r.gpus() > 0) b.append("#SBATCH --gres=gpu:").append(r.gpus()).append('\n');
            b.append("#SBATCH --mem=").append(r.memory()).append('\n');
            b.append("#SBATCH --time=").append(r.time()).append('\n');
        } else {
            b.append("#SBATCH --cpus-per-task=1\n#SBATCH --mem=2G\n");
        }
        if (exp.plan().slurm().partition() != null) b.append("#SBATCH --partition=").append(exp.plan().slurm().partition()).append('\n');
        for (String e : exp.plan().slurm().extra()) b.append("#SBATCH ").append(e).append('\n');
        b.append("set -e\ncd ").append(Shell.quote(exp.dir().toString())).append('\n');
        b.append("exec ").append(command).append('\n');
        AtomicFiles.writeString(script(exp, stage), b.toString());
    }

    /**
     * Submits the given tasks of each stage (all of them on a first run, the missing ones on a resume) and the
     * collect job; {@code waitFor} are jobs still queued or running from before, which the new ones must follow.
     * Returns the experiment with its new submissions recorded (and saved).
     */
    public static ExperimentDir submit(ExperimentDir exp, Map<Stage, List<Integer>> todo, List<String> activeSearch, List<String> active) {
        List<String> searchJobs = new ArrayList<>(activeSearch), all = new ArrayList<>(active);
        for (Stage s : Stage.values()) {
            List<Integer> idx = todo.getOrDefault(s, List.of());
            if (idx.isEmpty()) continue;
            List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--array=" + arraySpec(idx, exp.plan().resources().maxParallel())));
            if (s == Stage.RETRAIN && !searchJobs.isEmpty()) {
                cmd.addAll(List.of("--dependency=afterok:" + String.join(":", searchJobs), "--kill-on-invalid-dep=yes"));
            }
            cmd.add(script(exp, s.dirName()).toString());
            String job = sbatch(cmd);
            exp = exp.withSubmission(new Submission(s.dirName(), job, idx));
            exp.save();
            if (s == Stage.SEARCH) searchJobs.add(job);
            all.add(job);
        }
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (!all.isEmpty()) cmd.add("--dependency=afterany:" + String.join(":", all));
        cmd.add(script(exp, "collect").toString());
        exp = exp.withSubmission(new Submission("collect", sbatch(cmd), List.of()));
        exp.save();
        return exp;
    }

    static String arraySpec(List<Integer> indices, int max) {
        StringJoiner j = new StringJoiner(",");
        for (int i : indices) j.add(Integer.toString(i));
        return j + "%" + max;
    }

    private static String sbatch(List<String> cmd) {
        Shell.Result r = Shell.run(cmd);
        String id = r.out().strip();
        if (id.contains("\n")) id = id.substring(id.lastIndexOf('\n') + 1);
        if (id.contains(";")) id = id.substring(0, id.indexOf(';'));
        if (r.exit() != 0 || !id.matches("[0-9]+")) {
            throw new PlanException("sbatch failed (exit " + r.exit() + "): " + r.out().strip() + "\n  command: " + Shell.join(cmd));
        }
        return id;
    }
}
