package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.JsonFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment directory: experiment.json (the validated plan, the engine, the launcher command and every
 * scheduler submission), one directory per stage with a run directory per task, logs/, and the collected report.
 */
public record ExperimentDir(Path dir, Plan plan, Engine engine, List<String> launcher, List<Submission> submissions) {
    public static final String FILE = "experiment.json", FORMAT = "proxynas-experiment";

    public ExperimentDir {
        dir = dir.toAbsolutePath().normalize();
        launcher = List.copyOf(launcher);
        submissions = List.copyOf(submissions);
    }

    public Path logs() { return dir.resolve("logs"); }

    public Path log(Task t) { return logs().resolve(t.stage().dirName() + "-" + t.index() + ".log"); }

    public List<Task> tasks(Stage s) { return Tasks.of(plan, s); }

    public ExperimentDir withSubmission(Submission s) {
        List<Submission> all = new ArrayList<>(submissions);
        all.add(s);
        return new ExperimentDir(dir, plan, engine, launcher, all);
    }

    /** The latest submission that ran this task, or null. */
    public Submission submissionOf(Task t) {
        for (int i = submissions.size() - 1; i >= 0; i--) {
            Submission s = submissions.get(i);
            if (s.stage().equals(t.stage().dirName()) && s.indices().contains(t.index())) return s;
        }
        return null;
    }

    public void save() {
        ObjectNode n = JsonFiles.mapper().createObjectNode();
        n.put("format", FORMAT);
        n.put("version", 1);
        n.put("engine", engine.name());
        n.set("launcher", JsonFiles.mapper().valueToTree(launcher));
        n.set("plan", PlanReader.toTree(plan));
        n.set("submissions", JsonFiles.mapper().valueToTree(submissions));
        JsonFiles.write(dir.resolve(FILE), n);
    }

    public static boolean exists(Path dir) { return Files.isRegularFile(dir.resolve(FILE)); }

    public static ExperimentDir open(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new PlanException(dir + ": not an experiment directory (no " + FILE + ")");
        JsonNode n = JsonFiles.read(file);
        if (!FORMAT.equals(n.path("format").asText())) throw new PlanException(file + ": field 'format' is not '" + FORMAT + "'");
        Engine engine;
        try {
            engine = Engine.valueOf(n.path("engine").asText());
        } catch (IllegalArgumentException e) {
            throw new PlanException(file + ": field 'engine' must be local, slurm or k8s, got '" + n.path("engine").asText() + "'");
        }
        if (!n.path("plan").isObject()) throw new PlanException(file + ": field 'plan' is missing");
        List<String> launcher = new ArrayList<>();
        n.path("launcher").forEach(w -> launcher.add(w.asText()));
        List<Submission> subs = new ArrayList<>();
        if (n.path("submissions") instanceof ArrayNode a) {
            for (JsonNode s : a) {
                List<Integer> idx = new ArrayList<>();
                s.path("indices").forEach(i -> idx.add(i.asInt()));
                subs.add(new Submission(s.path("stage").asText(), s.path("jobId").asText(), idx));
            }
        }
        return new ExperimentDir(dir, PlanReader.fromTree(n.get("plan"), file.toString()), engine, launcher, subs);
    }
}
