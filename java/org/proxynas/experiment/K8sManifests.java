package org.proxynas.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.proxynas.run.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes manifests for an experiment, in k8s/: the experiment volume's claim, a ConfigMap holding
 * experiment.json, one Indexed Job per stage (batch/v1, completionMode Indexed; pod i runs
 * {@code proxynas experiment run-task /experiment STAGE} with i from JOB_COMPLETION_INDEX; one GPU each) and the
 * collect Job. A task whose result is already on the volume exits at once, so re-applying a stage's Job runs
 * only what is missing.
 */
public final class K8sManifests {
    public static final String MOUNT = "/experiment", PLAN_MOUNT = "/plan";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    private K8sManifests() {}

    public static Path dir(ExperimentDir exp) { return exp.dir().resolve("k8s"); }

    /** What the manifests need from the plan, checked before the experiment directory is made. */
    public static void check(Plan p, String source) {
        if (p.k8s().image() == null) throw new PlanException(source + ": field 'k8s.image' is required by --engine k8s (the image built from deploy/Dockerfile)");
    }

    /** Writes the manifests; returns the kubectl commands that run the experiment, in order. */
    public static List<String> write(ExperimentDir exp) {
        Plan p = exp.plan();
        check(p, exp.dir().resolve(ExperimentDir.FILE).toString());
        List<String> steps = new ArrayList<>();
        String ns = " -n " + p.k8s().namespace();
        write(exp, "volume.yaml", claim(p));
        write(exp, "plan.yaml", configMap(exp));
        steps.add("kubectl apply" + ns + " -f " + dir(exp).resolve("volume.yaml") + " -f " + dir(exp).resolve("plan.yaml"));
        List<String> jobs = new ArrayList<>();
        for (Stage s : Stage.values()) {
            int n = exp.tasks(s).size();
            if (n == 0) continue;
            List<String> cmd = List.of("proxynas", "experiment", "run-task", MOUNT, s.dirName(), "--init-from", PLAN_MOUNT + "/" + ExperimentDir.FILE);
            write(exp, s.dirName() + ".yaml", job(p, s.dirName(), n, cmd, true));
            jobs.add(s.dirName());
        }
        write(exp, "collect.yaml", job(p, "collect", 1, List.of("proxynas", "collect", MOUNT), false));
        jobs.add("collect");
        for (String j : jobs) {
            steps.add("kubectl apply" + ns + " -f " + dir(exp).resolve(j + ".yaml"));
            // The collect job reports on a partial experiment too, so a failed stage does not hold it back.
            if (!j.equals("collect")) steps.add("kubectl wait" + ns + " --for=condition=complete --timeout=-1s job/" + p.name() + "-" + j
                    + "   # on failure: kubectl delete job/" + p.name() + "-" + j + ", then apply again (finished indices exit at once)");
        }
        return steps;
    }

    static ObjectNode claim(Plan p) {
        ObjectNode n = head("v1", "PersistentVolumeClaim", p.k8s().claim(), p, null);
        ObjectNode spec = n.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteMany");
        spec.putObject("resources").putObject("requests").put("storage", p.k8s().storage());
        return n;
    }

    static ObjectNode configMap(ExperimentDir exp) {
        ObjectNode n = head("v1", "ConfigMap", exp.plan().name() + "-plan", exp.plan(), null);
        try {
            n.putObject("data").put(ExperimentDir.FILE, Files.readString(exp.dir().resolve(ExperimentDir.FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    static ObjectNode job(Plan p, String stage, int completions, List<String> command, boolean gpu) {
        ObjectNode n = head("batch/v1", "Job", p.name() + "-" + stage, p, stage);
        ObjectNode spec = n.putObject("spec");
        if (completions > 1 || gpu) {
            spec.put("completionMode", "Indexed");
            spec.put("completions", completions);
            spec.put("parallelism", Math.min(completions, p.resources().maxParallel()));
            spec.put("backoffLimitPerIndex", p.k8s().backoffLimitPerIndex());
            // Every index runs even when some fail, as a Slurm array does; the collect step lists the failures.
            spec.put("maxFailedIndexes", completions);
        } else {
            spec.put("backoffLimit", p.k8s().backoffLimitPerIndex());
        }
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").set("labels", labels(p, stage));
        ObjectNode pod = template.putObject("spec");
        pod.put("restartPolicy", "Never");
        ObjectNode c = pod.putArray("containers").addObject();
        c.put("name", "proxynas");
        c.put("image", p.k8s().image());
        ArrayNode cmd = c.putArray("command");
        command.forEach(cmd::add);
        c.put("workingDir", MOUNT);
        if (gpu) {
            // Kubernetes sets JOB_COMPLETION_INDEX in Indexed Jobs; spelt out so the wiring is visible.
            ObjectNode env = c.putArray("env").addObject();
            env.put("name", "JOB_COMPLETION_INDEX");
            env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.annotations['batch.kubernetes.io/job-completion-index']");
        }
        ObjectNode res = c.putObject("resources");
        ObjectNode limits = res.putObject("limits"), requests = res.putObject("requests");
        if (gpu && p.resources().gpus() > 0) limits.put("nvidia.com/gpu", p.resources().gpus());
        limits.put("memory", p.resources().memory());
        requests.put("cpu", Integer.toString(gpu ? p.resources().cpus() : 1));
        requests.put("memory", p.resources().memory());
        ArrayNode mounts = c.putArray("volumeMounts");
        mounts.addObject().put("name", "experiment").put("mountPath", MOUNT);
        mounts.addObject().put("name", "plan").put("mountPath", PLAN_MOUNT).put("readOnly", true);
        ArrayNode vols = pod.putArray("volumes");
        vols.addObject().put("name", "experiment").putObject("persistentVolumeClaim").put("claimName", p.k8s().claim());
        vols.addObject().put("name", "plan").putObject("configMap").put("name", p.name() + "-plan");
        return n;
    }

    private static ObjectNode head(String api, String kind, String name, Plan p, String stage) {
        ObjectNode n = F.objectNode();
        n.put("apiVersion", api);
        n.put("kind", kind);
        ObjectNode meta = n.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", p.k8s().namespace());
        meta.set("labels", labels(p, stage));
        return n;
    }

    private static ObjectNode labels(Plan p, String stage) {
        ObjectNode l = F.objectNode();
        l.put("app.kubernetes.io/name", "proxynas");
        l.put("proxynas.org/experiment", p.name());
        if (stage != null) l.put("proxynas.org/stage", stage);
        return l;
    }

    private static void write(ExperimentDir exp, String file, ObjectNode manifest) {
        try {
            AtomicFiles.writeString(dir(exp).resolve(file), YAML.writeValueAsString(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
