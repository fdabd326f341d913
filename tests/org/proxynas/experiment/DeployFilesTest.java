package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.proxynas.cli.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The shipped examples stay valid: the example plan expands, and the Katib trial's command line parses as proxynas train. */
class DeployFilesTest {
    @Test
    void examplePlanExpands() {
        Plan p = PlanReader.read(Path.of("deploy/example-plan.yaml"));
        assertEquals(8, Tasks.search(p).size());
        assertEquals(12, Tasks.retrain(p).size(), "2 methods x top 2 x 3 seeds");
        assertEquals(0, ToyExperiment.cli("experiment", "deploy/example-plan.yaml", "--dry-run").exit(), "its options parse as the commands' own");
    }

    @Test
    void katibTrialMapsEveryHyperparameterToATrainOption() throws IOException {
        JsonNode e = new YAMLMapper().readTree(Files.readString(Path.of("deploy/katib/train-experiment.yaml")));
        assertEquals("kubeflow.org/v1beta1", e.path("apiVersion").asText());
        assertEquals("test-accuracy", e.at("/spec/objective/objectiveMetricName").asText(), "a name TrialOutput prints");
        JsonNode trial = e.at("/spec/trialTemplate");
        JsonNode container = trial.at("/trialSpec/spec/template/spec/containers/0");
        assertEquals(trial.path("primaryContainerName").asText(), container.path("name").asText());
        Map<String, String> sample = Map.of("lr", "0.05", "dropPath", "0.1", "cutout", "8");
        List<String> args = new ArrayList<>();
        container.path("command").forEach(a -> args.add(a.asText()));
        assertEquals("proxynas", args.removeFirst());
        int used = 0;
        for (int i = 0; i < args.size(); i++) {
            for (JsonNode tp : trial.path("trialParameters")) {
                String ref = "${trialParameters." + tp.path("name").asText() + "}";
                if (args.get(i).contains(ref)) {
                    args.set(i, args.get(i).replace(ref, sample.get(tp.path("name").asText())));
                    used++;
                }
            }
        }
        assertEquals(trial.path("trialParameters").size(), used, "every trial parameter reaches the command line");
        var parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
        var train = parsed.subcommand().commandSpec();
        assertEquals("train", train.name());
        assertEquals(0.05, (double) train.findOption("--lr").getValue(), 0.0);
        assertEquals(8, (int) train.findOption("--cutout").getValue());
    }
}
