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

    /**
     * A judge keeps its measured losses in OUT.progress until the verdicts are written, and a judge of the same
     * supernet, configuration and learning rate takes them from there instead of measuring again (the file's loss
     * is planted, so the output shows which was used); a file for another supernet, or a torn one, is not trusted.
     */
    @Test
    void aStoppedJudgeResumesFromItsProgressFileAndOnlyForTheSameSupernet() throws Exception {
        JsonNode clean = judge(randomRun, tmp.resolve("p.json"), "--genotype", "DARTS_V2");
        Path progress = JudgeCommand.progressFile(tmp.resolve("q.json"));
        assertFalse(Files.exists(JudgeCommand.progressFile(tmp.resolve("p.json"))), "a finished judge removes its progress file");

        String planted = clean.get("randomGenotypes").get(1).asText();
        com.fasterxml.jackson.databind.node.ObjectNode file = new ObjectMapper().createObjectNode();
        file.put("format", "proxynas-judge-progress");
        file.put("supernet_sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(randomRun.resolve("checkpoint.bin")))));
        file.put("config_sha256", new ObjectMapper().readTree(randomRun.resolve("config.json").toFile()).get("config_sha256").asText());
        file.put("lr", clean.get("lr").asDouble());
        file.putObject("losses").put(planted, 123.0);
        Files.writeString(progress, file.toString());

        Cli.Outcome resumed = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--random", "5",
                "--genotype", "DARTS_V2", "--out", tmp.resolve("q.json").toString()));
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(resumed.err().contains("1 genotypes already scored"), resumed.all());
        JsonNode q = new ObjectMapper().readTree(tmp.resolve("q.json").toFile());
        for (int i = 0; i < 5; i++) {
            double expected = i == 1 ? 123.0 : clean.get("randomLosses").get(i).asDouble();
            assertEquals(expected, q.get("randomLosses").get(i).asDouble(), 0.0, "random genotype " + i);
        }
        assertEquals(losses(clean), losses(q));
        assertFalse(Files.exists(progress));

        file.put("supernet_sha256", "0".repeat(64));
        Files.writeString(JudgeCommand.progressFile(tmp.resolve("r.json")), file.toString());
        Cli.Outcome other = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--random", "5",
                "--genotype", "DARTS_V2", "--out", tmp.resolve("r.json").toString()));
        assertEquals(0, other.code(), other.all());
        assertTrue(other.err().contains("another supernet sha256; starting over"), other.all());
        assertEquals(clean.get("randomLosses"), new ObjectMapper().readTree(tmp.resolve("r.json").toFile()).get("randomLosses"));

        Files.writeString(progress, "{\"format\": ");
        Cli.Outcome torn = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--random", "5",
                "--genotype", "DARTS_V2", "--out", tmp.resolve("q.json").toString()));
        assertEquals(0, torn.code(), torn.all());
        assertTrue(torn.err().contains("not valid JSON") && torn.err().contains("starting over"), torn.all());
        assertEquals(clean.get("randomLosses"), new ObjectMapper().readTree(tmp.resolve("q.json").toFile()).get("randomLosses"));
    }

    /**
     * The same through a real stop: a judge of 30 random genotypes killed once its progress file holds a few losses,
     * then run again with the same --out, ends with the verdicts of a judge that was never stopped, to the bit.
     */
    @Test
    void aJudgeKilledMidwayEndsAsAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("whole.json"), out = tmp.resolve("killed.json"), progress = JudgeCommand.progressFile(out);
        Cli.Outcome w = Cli.run(List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--random", "30",
                "--genotype", "DARTS_V2", "--out", whole.toString()));
        assertEquals(0, w.code(), w.all());
        JsonNode clean = new ObjectMapper().readTree(whole.toFile());
        List<String> args = List.of("judge", randomRun.toString(), "--threads", "1", "--backend", "cpu", "--random", "30",
                "--genotype", "DARTS_V2", "--out", out.toString());
        Process p = Cli.start(args, tmp.resolve("killed.log"));
        int seen = 0;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline && seen < 3) {
            try {
                seen = new ObjectMapper().readTree(progress.toFile()).get("losses").size();
            } catch (java.io.IOException | NullPointerException e) {
                seen = 0; // not written yet (it is replaced atomically, so never torn)
            }
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the judge finished before it could be stopped (" + seen + " losses): " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(out), "the stopped judge must not have written its verdicts");
        assertTrue(seen >= 3 && seen < 31, "stopped after " + seen + " of 31 genotypes");

        Cli.Outcome resumed = Cli.run(args);
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(resumed.err().contains("genotypes already scored"), resumed.all());
        JsonNode again = new ObjectMapper().readTree(out.toFile());
        assertEquals(clean.get("randomLosses"), again.get("randomLosses"));
        assertEquals(clean.get("verdicts"), again.get("verdicts"));
        assertFalse(Files.exists(progress));
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
