package org.proxynas.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the tasks here, each as its own process ({@code <launcher> experiment run-task DIR STAGE INDEX}, output in
 * logs/), at most {@code parallel} at once; with devices, each running task holds one GPU ordinal
 * ({@code --device}). As on Slurm, the retraining starts only when every search task has its result.
 */
public final class LocalEngine {
    private final ExperimentDir exp;
    private final BlockingQueue<Integer> slots;
    private final boolean withDevices;
    private final PrintStream log;

    public LocalEngine(ExperimentDir exp, int parallel, List<Integer> devices, PrintStream log) {
        this.exp = exp;
        this.withDevices = !devices.isEmpty();
        List<Integer> ids = new ArrayList<>(devices);
        if (ids.isEmpty()) for (int i = 0; i < parallel; i++) ids.add(i);
        this.slots = new ArrayBlockingQueue<>(ids.size(), false, ids);
        this.log = log;
    }

    /** Runs the given tasks of each stage; returns the failed ones' labels (empty when all succeeded). */
    public List<String> run(Map<Stage, List<Integer>> todo) {
        List<String> failed = new ArrayList<>(runStage(Stage.SEARCH, todo.getOrDefault(Stage.SEARCH, List.of())));
        List<Integer> retrain = todo.getOrDefault(Stage.RETRAIN, List.of());
        if (!retrain.isEmpty()) {
            List<String> unfinished = new ArrayList<>();
            for (TaskStatus s : TaskStatus.of(exp, QueueView.NONE)) {
                if (s.task().stage() == Stage.SEARCH && s.state() != TaskState.DONE) unfinished.add(s.task().label());
            }
            if (unfinished.isEmpty()) {
                failed.addAll(runStage(Stage.RETRAIN, retrain));
            } else {
                log.println("experiment: retraining not started: search tasks without a result: " + unfinished
                        + " (see logs/; `proxynas experiment resume " + exp.dir() + "` runs what is missing)");
                for (int i : retrain) failed.add(exp.tasks(Stage.RETRAIN).get(i).label() + " (not started)");
            }
        }
        return failed;
    }

    private List<String> runStage(Stage stage, List<Integer> indices) {
        if (indices.isEmpty()) return List.of();
        List<String> failed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(slots.size())) {
            List<Future<String>> results = new ArrayList<>();
            for (int i : indices) results.add(pool.submit(() -> runTask(exp.tasks(stage).get(i))));
            for (Future<String> f : results) {
                String fail = f.get();
                if (fail != null) failed.add(fail);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + stage.dirName() + " tasks", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        return failed;
    }

    /** Null on success, else the task's label with its exit status. */
    private String runTask(Task t) throws IOException, InterruptedException {
        int slot = slots.take();
        try {
            List<String> cmd = new ArrayList<>(exp.launcher());
            cmd.addAll(List.of("experiment", "run-task", exp.dir().toString(), t.stage().dirName(), Integer.toString(t.index())));
            if (withDevices) cmd.addAll(List.of("--device", Integer.toString(slot)));
            Files.createDirectories(exp.logs());
            log.println("experiment: " + t.label() + (withDevices ? " on device " + slot : "") + " started (log: " + exp.dir().relativize(exp.log(t)) + ")");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(exp.log(t).toFile()).start();
            int rc = p.waitFor();
            log.println("experiment: " + t.label() + (rc == 0 ? " done" : " FAILED with exit status " + rc));
            return rc == 0 ? null : t.label() + " (exit " + rc + ")";
        } finally {
            slots.put(slot);
        }
    }
}
