package org.proxynas.nasbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cli.Main;
import picocli.CommandLine;

/** {@code proxynas benchmark --predictors} through the CLI, on the planted (synthetic) landscape. */
class PredictorEvaluationTest {

    /**
     * The planted landscape is linear in the one-hot genotype plus a small noise, so the ridge proxy must rank
     * held-out genotypes well once it has more samples, and better with 200 than with 20.
     */
    @Test
    void theRidgeProxyAloneRanksThePlantedLandscapeAndOnlyTheNamedRegressorsRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pred");
        int rc = Main.commandLine().execute("benchmark", "--predictors", "--oracle", "synthetic", "--regressors", "ridge",
                "--train-sizes", "20,200", "--heldout", "200", "--predictor-seeds", "2", "--threads", "1", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode rows = new ObjectMapper().readTree(Files.readString(out.resolve("predictors.json"))).get("results");
        assertEquals(2, rows.size(), rows.toString());
        for (JsonNode r : rows) assertEquals("ridge", r.get("regressor").asText());
        double small = rows.get(0).get("kendall_mean").asDouble(), large = rows.get(1).get("kendall_mean").asDouble();
        assertTrue(large > 0.6 && large > small, "tau at n = 20: " + small + ", at n = 200: " + large);
    }

    @Test
    void anUnknownRegressorIsRefusedByName(@TempDir Path dir) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute("benchmark", "--predictors", "--oracle", "synthetic", "--regressors", "ridge,mlp", "--out", dir.resolve("p").toString());
        assertTrue(rc != 0);
        assertTrue(err.toString().contains("--regressors") && err.toString().contains("'mlp'"), err.toString());
        assertTrue(!Files.exists(dir.resolve("p/predictors.json")), "nothing written");
    }
}
