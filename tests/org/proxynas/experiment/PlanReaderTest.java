package org.proxynas.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Plans parse from YAML and JSON alike; every bad field is named in the error. */
class PlanReaderTest {
    static final String YAML = """
            name: two-seeds
            search:
              methods: [pvll, random]
              seeds: [1, 2]
              options: {dataset: synthetic, iterations: 3, oiw: true, val-batch-stats: false}
            retrain:
              top: 2
              seeds: [7]
              options: {epochs: 1}
            resources: {gpus: 1, cpus: 4, memory: 8G, time: "02:00:00", max_parallel: 3}
            slurm: {partition: gpu, extra: ["--account=nas"]}
            k8s: {image: "registry.example/proxynas:0.1.0", storage: 5Gi}
            """;

    @Test
    void yamlAndJsonGiveTheSamePlan() {
        Plan y = PlanReader.parse(YAML, "plan.yaml");
        assertEquals("two-seeds", y.name());
        assertEquals(List.of("pvll", "random"), y.search().methods());
        assertEquals(List.of(1L, 2L), y.search().seeds());
        assertEquals(Map.of("dataset", "synthetic", "iterations", "3", "oiw", "true", "val-batch-stats", "false"), y.search().options());
        assertEquals(2, y.retrain().top());
        assertEquals(new Plan.Resources(1, 4, "8G", "02:00:00", 3), y.resources());
        assertEquals(List.of("--account=nas"), y.slurm().extra());
        assertEquals("two-seeds-data", y.k8s().claim(), "the claim defaults to <name>-data");
        String json = """
                {"name": "two-seeds", "search": {"methods": ["pvll", "random"], "seeds": [1, 2],
                  "options": {"dataset": "synthetic", "iterations": 3, "oiw": true, "val-batch-stats": false}},
                 "retrain": {"top": 2, "seeds": [7], "options": {"epochs": 1}},
                 "resources": {"gpus": 1, "cpus": 4, "memory": "8G", "time": "02:00:00", "max_parallel": 3},
                 "slurm": {"partition": "gpu", "extra": ["--account=nas"]},
                 "k8s": {"image": "registry.example/proxynas:0.1.0", "storage": "5Gi"}}
                """;
        assertEquals(y, PlanReader.parse(json, "plan.json"));
        assertEquals(y, PlanReader.fromTree(PlanReader.toTree(y), "experiment.json"), "the stored plan reads back equal");
    }

    @Test
    void defaultsWithoutOptionalSections() {
        Plan p = PlanReader.parse("name: a\nsearch: {methods: [darts], seeds: [3]}\n", "p.yaml");
        assertFalse(p.hasRetrain());
        assertEquals(new Plan.Resources(1, 4, "16G", "24:00:00", 8), p.resources());
        assertNull(p.slurm().partition());
        assertNull(p.k8s().image());
    }

    @Test
    void errorsNameTheFileAndField() {
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1]}\nretrian: {}\n", "field 'retrian': unknown field");
        assertError("name: A_b\nsearch: {methods: [pvll], seeds: [1]}\n", "field 'name'");
        assertError("name: a\n", "field 'search': missing");
        assertError("name: a\nsearch: {methods: [pvl], seeds: [1]}\n", "field 'search.methods': expected each of [pvll, evolve, darts, random], got 'pvl'");
        assertError("name: a\nsearch: {methods: [pvll], seeds: []}\n", "field 'search.seeds': expected a non-empty list");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1.5]}\n", "field 'search.seeds': expected whole numbers, got 1.5");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1, 1]}\n", "seed 1 is listed twice");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1], options: {out: x}}\n", "field 'search.options.out': --out is set by the experiment");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1], options: {--lr: 1}}\n", "field 'search.options.--lr'");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1], options: {lr: [1, 2]}}\n", "field 'search.options.lr': expected a number");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1, 2]}\nretrain: {top: 3, seeds: [1]}\n", "field 'retrain.top': expected a whole number in [1, 2], got 3");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1]}\nresources: {memory: lots}\n", "field 'resources.memory'");
        assertError("name: a\nsearch: {methods: [pvll], seeds: [1]}\nslurm: {extra: [account]}\n", "field 'slurm.extra': expected sbatch options");
        assertError("name: a\nsearch: [1]\n", "field 'search': expected a mapping");
        assertError("name: [unclosed\n", "p.yaml: not valid YAML or JSON");
    }

    private static void assertError(String text, String expected) {
        PlanException e = assertThrows(PlanException.class, () -> PlanReader.parse(text, "p.yaml"), text);
        assertTrue(e.getMessage().startsWith("p.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
