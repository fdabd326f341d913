package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.RunIdentity;
import org.proxynas.search.SearchConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * config.json's search configuration: the grouped layout (version 2) round-trips, and the flat layout of version 1
 * (test resources written by proxynas 0.1.0) still reads as the same configuration and keeps its hash.
 */
class SearchRunConfigTest {
    private static final Path FILE = Path.of("run", "config.json");

    private static ObjectNode resource(String name) throws IOException {
        try (InputStream in = SearchRunConfigTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "test resource " + name);
            return (ObjectNode) JsonFiles.mapper().readTree(in);
        }
    }

    /** A config.json of the given version around a 'search' object. */
    private static ObjectNode saved(int version, JsonNode search) {
        ObjectNode c = JsonFiles.mapper().createObjectNode();
        c.put("version", version);
        c.set("search", search);
        return c;
    }

    @Test
    void thePresetsAreTheFlatOnesOfTheUngroupedCode() throws IOException {
        ObjectNode flat = resource("presets-flat.json");
        // The demo's alpha lr moved from 3e-2 to 1e-1 after the regrouping (the second tuning round, RESULTS.md).
        assertEquals(SearchConfig.demo().toBuilder().alphaLr(3e-2).build(), SearchRunConfig.searchConfig(saved(1, flat.get("demo")), null, FILE));
        assertEquals(SearchConfig.paper(), SearchRunConfig.searchConfig(saved(1, flat.get("paper")), null, FILE));
    }

    @Test
    void theGroupedLayoutRoundTrips() {
        SearchConfig cfg = SearchConfig.demo().toBuilder().method(SearchConfig.Method.evolve).regressor(SearchConfig.RegressorKind.gae)
                .gaeFile("/tmp/x.gae").oiw(true).seed(9).build();
        ObjectNode json = JsonFiles.mapper().valueToTree(cfg);
        assertEquals("evolve", json.get("method").asText());
        assertEquals("gae", json.get("proxy").get("regressor").asText());
        assertEquals(cfg.supernet().lr(), json.get("supernet").get("lr").asDouble());
        assertEquals(cfg, SearchRunConfig.searchConfig(saved(2, json), null, FILE));
        assertEquals(7, SearchRunConfig.searchConfig(saved(2, json), 7, FILE).checkpointEvery(), "--checkpoint-every on a resume");
    }

    @Test
    void aFlatRunConfigReadsAsItsOptionsAndKeepsItsHash() throws IOException {
        ObjectNode saved = resource("flat-config-run/config.json");
        SearchConfig cfg = SearchRunConfig.searchConfig(saved, null, FILE);
        // The options the run was made with (flat-config-run/README.md); everything else is the demo preset.
        SearchConfig expected = SearchConfig.demo().toBuilder().warmupSamples(3).iterations(8).stepsPerSample(1).channels(2).layers(3)
                .batch(8).regressorWarmupEpochs(5).regressorMaxEpochs(3).dataFraction(0.02).valFraction(0.5).evalBatch(64).checkpointEvery(1)
                .oiw(true).heldoutSamples(4).diagnosePaths(0).alphaLr(3e-2).build(); // made when the demo alpha lr was 3e-2
        assertEquals(expected, cfg);
        assertEquals(saved.get(RunIdentity.CONFIG_HASH).asText(), RunIdentity.hash(SearchRunConfig.identity(saved)),
                "the identity of a saved flat config.json must hash as recorded, or its resume is refused as edited");
    }

    @Test
    void aFlatConfigFromBeforeTheLabelDiagnosticHasItOff() throws IOException {
        ObjectNode flat = (ObjectNode) resource("presets-flat.json").get("demo");
        flat.remove(List.of("diagnosePaths", "diagnoseRepeats"));
        SearchConfig cfg = SearchRunConfig.searchConfig(saved(1, flat), null, FILE);
        assertEquals(0, cfg.diagnostics().diagnosePaths());
        assertEquals(SearchConfig.demo().toBuilder().alphaLr(3e-2).diagnosePaths(0).diagnoseRepeats(0).build(), cfg);
    }

    @Test
    void badValuesAreRefusedNamingTheFileAndTheOption() throws IOException {
        ObjectNode json = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        ((ObjectNode) json.get("supernet")).put("lrMin", 1.0);
        assertMessage(json, "--lr-min must be in [0, --lr], got 1.0");
        json = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        json.put("method", "bogus");
        assertMessage(json, "--method must be pvll, evolve, darts or random, got 'bogus'");
        json = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        ((ObjectNode) json.get("proxy")).put("regressor", "mlp");
        assertMessage(json, "--regressor must be lstm, gae or ridge, got 'mlp'");
        json = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        json.remove("alpha");
        assertMessage(json, "every group (schedule, supernet, data, alpha, proxy, diagnostics) must be present");
        json = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        ((ObjectNode) json.get("data")).put("lr", 0.1);
        assertMessage(json, "unknown field 'lr'");
        UserError e = assertThrows(UserError.class, () -> SearchRunConfig.searchConfig(saved(2, null), null, FILE));
        assertEquals(FILE + ": field 'search' is missing or not an object", e.getMessage());
        JsonNode demo = JsonFiles.mapper().valueToTree(SearchConfig.demo());
        e = assertThrows(UserError.class, () -> SearchRunConfig.searchConfig(saved(3, demo), null, FILE));
        assertEquals(FILE + ": field 'version' is 3; this proxynas reads versions 1 and 2", e.getMessage());
        e = assertThrows(UserError.class, () -> SearchRunConfig.searchConfig(saved(2, resource("presets-flat.json").get("demo")), null, FILE));
        assertEquals(FILE + ": invalid search configuration: every group (schedule, supernet, data, alpha, proxy, diagnostics) must be present",
                e.getMessage(), "version 2 is not read as flat");
    }

    private static void assertMessage(ObjectNode search, String expected) {
        UserError e = assertThrows(UserError.class, () -> SearchRunConfig.searchConfig(saved(2, search), null, FILE));
        assertEquals(FILE + ": invalid search configuration: " + expected, e.getMessage());
    }

    @Test
    void theBuilderChecksEachGroupNamingTheOption() {
        assertEquals("--channels must be even and >= 2, got 3",
                assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder().channels(3).build()).getMessage());
        assertEquals("--val-fraction must be in (0, 1], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder().valFraction(0).build()).getMessage());
        assertEquals("--checkpoint-every must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder().checkpointEvery(0).build()).getMessage());
        assertEquals("--diagnose-repeats must be >= 2 (a share of variance needs repeats), got 1",
                assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder().diagnoseRepeats(1).build()).getMessage());
    }

    @Test
    void toBuilderCopiesEveryField() {
        SearchConfig odd = SearchConfig.builder().method(SearchConfig.Method.random).seed(3).checkpointEvery(4).warmupSamples(5)
                .iterations(6).stepsPerSample(7).channels(10).layers(9).lr(0.5).lrMin(0.25).momentum(0.5).weightDecay(0.125).gradClip(2).initWeights("w.bin")
                .dataFraction(0.5).valFraction(0.25).batch(11).evalBatch(12).valBatchStats(true).oiw(true).temperature(2).alphaLr(0.75)
                .alphaWeightDecay(0.375).regressor(SearchConfig.RegressorKind.gae).memoryCapacity(13).regressorWarmupEpochs(14)
                .regressorMaxEpochs(15).tauStop(0.5).regressorLr(0.0625).gaeFile("g.gae").gaePretrainArchs(16).gaePretrainEpochs(17)
                .heldoutSamples(18).diagnosePaths(19).diagnoseRepeats(20).build();
        JsonNode json = JsonFiles.mapper().valueToTree(odd);
        List<String> differing = RunIdentity.differences(json, JsonFiles.mapper().valueToTree(SearchConfig.paper()));
        assertEquals(leaves(json), differing.size(), "every field must differ from the defaults for this test to see it copied: " + differing);
        assertEquals(odd, odd.toBuilder().build());
    }

    private static int leaves(JsonNode n) {
        if (!n.isObject()) return 1;
        int count = 0;
        for (JsonNode child : n) count += leaves(child);
        return count;
    }
}
