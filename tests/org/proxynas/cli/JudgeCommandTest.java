package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.fuzz.Cli;
import org.proxynas.search.SupernetWeights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `judge` ranks genotypes by a supernet among random ones: the verdicts agree with the losses, a candidate's loss does
 * not depend on what was judged before it (the snapshot is restored), and with --supernet the weights come from the
 * file alone (the run only supplies settings, so a DARTS run serves as well as a single-path one).
 */
class JudgeCommandTest {
    @TempDir static Path tmp;
    static Path warmed, randomRun, dartsRun;

    @BeforeAll
    static void runs() {
        Path diag = tmp.resolve("diag");
        Cli.Outcome d = Cli.run(InitSupernetTest.tiny("diagnose", diag));
        assertEquals(0, d.code(), d.all());
        warmed = diag.resolve(SupernetWeights.FILE);
        randomRun = tmp.resolve("random");
        Cli.Outcome r = Cli.run(InitSupernetTest.tiny("search", randomRun, "--method", "random", "--init-supernet", warmed.toString()));
        assertEquals(0, r.code(), r.all());
        dartsRun = tmp.resolve("darts");
        Cli.Outcome s = Cli.run(InitSupernetTest.tiny("search", dartsRun, "--method", "darts", "--init-supernet", warmed.toString()));
        assertEquals(0, s.code(), s.all());
    }

    private static JsonNode judge(Path run, Path out, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("judge", run.toString(), "--threads", "1", "--backend", "cpu", "--random", "5",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        Cli.Outcome o = Cli.run(a);
        assertEquals(0, o.code(), o.all());
        return new ObjectMapper().readTree(out.toFile());
    }

    private static Map<String, Double> losses(JsonNode r) {
        Map<String, Double> m = new HashMap<>();
        for (JsonNode v : r.get("verdicts")) m.put(v.get("genotype").asText(), v.get("loss").asDouble());
        return m;
    }

    @Test
    void verdictsRankEachCandidateAmongTheRandomLossesAndDoNotDependOnOrder() throws Exception {
        String own = randomRun.resolve("genotype.json").toString();
        JsonNode first = judge(randomRun, tmp.resolve("a.json"), "--genotype", own, "DARTS_V2");
        JsonNode second = judge(randomRun, tmp.resolve("b.json"), "--genotype", "DARTS_V2", own);
        assertEquals(randomRun.resolve("checkpoint.bin").toString(), first.get("supernet").asText());
        JsonNode random = first.get("randomLosses");
        assertEquals(5, random.size());
        assertEquals(2, first.get("verdicts").size());
        assertEquals("random", first.get("verdicts").get(0).get("name").asText(), "a genotype file is named by its folder");
        for (JsonNode v : first.get("verdicts")) {
            double loss = v.get("loss").asDouble();
            assertTrue(Double.isFinite(loss) && loss > 0, v.toString());
            int lower = 0;
            for (JsonNode x : random) if (x.asDouble() < loss) lower++;
            assertEquals(lower, v.get("randomBetter").asInt(), v.toString());
        }
        // Same seed, same random genotypes, same snapshot: equal to the last bit whatever was measured before.
        assertEquals(losses(first), losses(second));
        assertEquals(random, second.get("randomLosses"));
        assertEquals(5, first.get("randomGenotypes").size());
        assertEquals(first.get("randomGenotypes"), second.get("randomGenotypes"));
        assertTrue(first.get("randomGenotypes").get(0).asText().startsWith("Genotype(normal=["), first.get("randomGenotypes").toString());
    }

    @Test
    void withSupernetTheWeightsComeFromTheFileWhicheverRunSuppliesTheSettings() throws Exception {
        JsonNode fromRandom = judge(randomRun, tmp.resolve("c.json"), "--genotype", "DARTS_V2", "--supernet", warmed.toString());
        JsonNode fromDarts = judge(dartsRun, tmp.resolve("d.json"), "--genotype", "DARTS_V2", "--supernet", warmed.toString());
        JsonNode finalRandom = judge(randomRun, tmp.resolve("e.json"), "--genotype", "DARTS_V2");
        assertEquals(warmed.toString(), fromRandom.get("supernet").asText());
        assertEquals(losses(fromRandom), losses(fromDarts));
        assertEquals(fromRandom.get("randomLosses"), fromDarts.get("randomLosses"));
        // The run's own final supernet was trained further: the file was really used, not the checkpoint.
        assertNotEquals(losses(fromRandom), losses(finalRandom));
    }

    @Test
    void refusalsNameTheProblemAndWriteNothing() throws Exception {
        Path out = tmp.resolve("refused.json");
        Cli.Outcome darts = Cli.run(List.of("judge", dartsRun.toString(), "--threads", "1", "--backend", "cpu", "--genotype", "DARTS_V2",
                "--out", out.toString()));
        assertTrue(darts.cleanError() && darts.err().contains("DARTS run") && darts.err().contains("--supernet"), darts.all());

        Cli.Outcome missing = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--genotype", "DARTS_V2",
                "--supernet", tmp.resolve("nope.bin").toString(), "--out", out.toString()));
        assertTrue(missing.cleanError() && missing.err().contains("--supernet") && missing.err().contains("no such file"), missing.all());

        Path wideDiag = tmp.resolve("wide-diag");
        assertEquals(0, Cli.run(InitSupernetTest.tiny("diagnose", wideDiag, "--channels", "4")).code());
        Cli.Outcome wide = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--genotype", "DARTS_V2",
                "--supernet", wideDiag.resolve(SupernetWeights.FILE).toString(), "--out", out.toString()));
        assertTrue(wide.cleanError() && wide.err().contains("--supernet " + wideDiag.resolve(SupernetWeights.FILE))
                && wide.err().contains("'channels' is 4"), wide.all());
        assertFalse(Files.exists(out), "a refused judge wrote " + out);
    }
}
