package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Kubernetes manifests, checked structurally (no cluster here): each parses, has the fields batch/v1 Indexed
 * Jobs need, and wires the completion index, the GPU, the experiment volume and the plan into the pod.
 */
class K8sManifestsTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void indexedJobsPerStageWithGpuVolumeAndIndexWiring(@TempDir Path dir) throws IOException {
        Plan plan = PlanReader.parse(PlanReaderTest.YAML, "plan.yaml");
        ExperimentDir exp = new ExperimentDir(dir, plan, Engine.k8s, List.of("proxynas"), List.of());
        exp.save();
        List<String> steps = K8sManifests.write(exp);
        assertTrue(steps.getFirst().startsWith("kubectl apply -n default -f "), steps.toString());

        JsonNode pvc = read(dir, "volume.yaml");
        assertEquals("PersistentVolumeClaim", pvc.path("kind").asText());
        assertEquals("two-seeds-data", pvc.at("/metadata/name").asText());
        assertEquals("ReadWriteMany", pvc.at("/spec/accessModes/0").asText());
        assertEquals("5Gi", pvc.at("/spec/resources/requests/storage").asText());

        JsonNode cm = read(dir, "plan.yaml");
        assertEquals("ConfigMap", cm.path("kind").asText());
        JsonNode stored = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cm.at("/data/" + ExperimentDir.FILE).asText());
        assertEquals(plan, PlanReader.fromTree(stored.get("plan"), "configmap"), "the ConfigMap carries the plan");

        for (Stage s : Stage.values()) {
            JsonNode job = read(dir, s.dirName() + ".yaml");
            assertEquals("batch/v1", job.path("apiVersion").asText());
            assertEquals("Job", job.path("kind").asText());
            assertEquals("two-seeds-" + s.dirName(), job.at("/metadata/name").asText());
            JsonNode spec = job.path("spec");
            assertEquals("Indexed", spec.path("completionMode").asText());
            assertEquals(exp.tasks(s).size(), spec.path("completions").asInt(), "one completion index per task");
            assertEquals(3, spec.path("parallelism").asInt(), "max_parallel");
            assertEquals(1, spec.path("backoffLimitPerIndex").asInt());
            JsonNode pod = spec.at("/template/spec");
            assertEquals("Never", pod.path("restartPolicy").asText(), "backoffLimitPerIndex requires restartPolicy Never");
            JsonNode c = pod.at("/containers/0");
            assertEquals("registry.example/proxynas:0.1.0", c.path("image").asText());
            assertEquals(List.of("proxynas", "experiment", "run-task", K8sManifests.MOUNT, s.dirName(), "--init-from", K8sManifests.PLAN_MOUNT + "/" + ExperimentDir.FILE),
                    strings(c.path("command")), "the pod runs its stage's task; the index comes from the environment");
            JsonNode env = c.at("/env/0");
            assertEquals("JOB_COMPLETION_INDEX", env.path("name").asText());
            assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.at("/valueFrom/fieldRef/fieldPath").asText());
            assertEquals(1, c.at("/resources/limits/nvidia.com~1gpu").asInt(), "one GPU per pod");
            assertEquals("8G", c.at("/resources/limits/memory").asText());
            // The experiment directory in the command is the mount of the claim; the plan file is the ConfigMap's.
            assertEquals(K8sManifests.MOUNT, mountOf(c, "experiment"));
            assertEquals(K8sManifests.PLAN_MOUNT, mountOf(c, "plan"));
            assertEquals(pvc.at("/metadata/name").asText(), volume(pod, "experiment").at("/persistentVolumeClaim/claimName").asText());
            assertEquals(cm.at("/metadata/name").asText(), volume(pod, "plan").at("/configMap/name").asText());
        }
        JsonNode collect = read(dir, "collect.yaml");
        assertEquals(List.of("proxynas", "collect", K8sManifests.MOUNT), strings(collect.at("/spec/template/spec/containers/0/command")));
        assertTrue(collect.at("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu").isMissingNode(), "collect needs no GPU");
    }

    @Test
    void imageIsRequired(@TempDir Path dir) {
        Plan plan = PlanReader.parse("name: a\nsearch: {methods: [pvll], seeds: [1]}\n", "p.yaml");
        ExperimentDir exp = new ExperimentDir(dir, plan, Engine.k8s, List.of("proxynas"), List.of());
        exp.save();
        PlanException e = assertThrows(PlanException.class, () -> K8sManifests.write(exp));
        assertTrue(e.getMessage().contains("k8s.image"), e.getMessage());
    }

    @Test
    void aPlanWithoutImageIsRefusedBeforeTheExperimentDirectoryIsMade(@TempDir Path dir) throws IOException {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), PlanReaderTest.YAML.replace("image: \"registry.example/proxynas:0.1.0\", ", ""));
        Path exp = dir.resolve("exp");
        java.io.StringWriter err = new java.io.StringWriter();
        var cmd = org.proxynas.cli.Main.commandLine();
        cmd.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cmd.execute("experiment", plan.toString(), "--engine", "k8s", "--dir", exp.toString()));
        assertTrue(err.toString().contains(plan + ": field 'k8s.image' is required by --engine k8s"), err.toString());
        assertFalse(Files.exists(exp), "nothing is written for a plan the engine cannot run");
    }

    private static JsonNode read(Path dir, String file) throws IOException {
        return YAML.readTree(Files.readString(dir.resolve("k8s").resolve(file)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String mountOf(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) if (m.path("name").asText().equals(volume)) return m.path("mountPath").asText();
        return fail("no volumeMount for " + volume);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) if (v.path("name").asText().equals(name)) return v;
        return fail("no volume " + name);
    }
}
