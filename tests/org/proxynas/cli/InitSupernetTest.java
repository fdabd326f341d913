package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.fuzz.Cli;
import org.proxynas.nn.Param;
import org.proxynas.run.Checkpoint;
import org.proxynas.search.RunContext;
import org.proxynas.search.SearchConfig;
import org.proxynas.search.SearchSetup;
import org.proxynas.search.SupernetWeights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `diagnose` saves its warmed-up supernet; `search --init-supernet` starts from exactly those weights or refuses a misfit by name. */
class InitSupernetTest {
    @TempDir Path tmp;

    /** A search-family command at toy sizes (synthetic data, C=2, L=3, a few steps): seconds per run. */
    static List<String> tiny(String command, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(command, "--dataset", "synthetic", "--warmup-samples", "3", "--iterations", "2",
                "--steps-per-sample", "2", "--channels", "2", "--layers", "3", "--batch", "8", "--data-fraction", "0.02",
                "--val-fraction", "0.2", "--eval-batch", "64", "--threads", "1", "--backend", "cpu", "--heldout", "0",
                "--diagnose-paths", "2", "--diagnose-repeats", "2", "--out", out.toString()));
        return RunHygieneTest.with(a, extra);
    }

    @Test
    void diagnoseWritesTheWarmedSupernetAndASearchStartsFromIt() throws Exception {
        Path diag = tmp.resolve("diag");
        Cli.Outcome d = Cli.run(tiny("diagnose", diag));
        assertEquals(0, d.code(), d.all());
        Path file = diag.resolve(SupernetWeights.FILE);
        assertTrue(Files.isRegularFile(file), "diagnose wrote no " + file);
        Checkpoint saved = Checkpoint.read(file);
        // 3 warm-up paths x 2 steps before the save; the measurements after it do not reach the file.
        assertEquals(6, saved.field("weight_steps").asInt());

        // The setup a search builds from --init-supernet holds the file's weights, not its own random ones.
        SearchCommand c = new SearchCommand();
        List<String> args = tiny("search", tmp.resolve("unused"), "--init-supernet", file.toString());
        new picocli.CommandLine(c).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        SearchConfig cfg = c.resolve();
        Dataset data = Datasets.load("synthetic", null);
        Files.createDirectories(tmp.resolve("fresh"));
        Files.createDirectories(tmp.resolve("warmed"));
        try (CpuBackend b = new CpuBackend(1)) {
            SearchSetup fresh = new SearchSetup(cfg.toBuilder().initWeights(null).build(), new RunContext(tmp.resolve("fresh")), b, data);
            SearchSetup warmed = new SearchSetup(cfg, new RunContext(tmp.resolve("warmed")), b, data);
            List<Param> f = fresh.runner().net().params(), w = warmed.runner().net().params();
            int differ = 0;
            for (int i = 0; i < w.size(); i++) {
                float[] want = saved.get("w." + w.get(i).name(), w.get(i).value().size());
                assertArrayEquals(want, w.get(i).value().toHost(), w.get(i).name());
                if (!java.util.Arrays.equals(want, f.get(i).value().toHost())) differ++;
            }
            assertTrue(differ > w.size() / 2, "the warm-up changed only " + differ + " of " + w.size() + " tensors: the test would not see a missed load");
        }

        Cli.Outcome s = Cli.run(tiny("search", tmp.resolve("search"), "--method", "random", "--init-supernet", file.toString()));
        assertEquals(0, s.code(), s.all());
        assertTrue(s.all().contains("starting from the supernet in"), s.all());
    }

    @Test
    void aMisfitFileIsRefusedByNameBeforeTheRunDirectoryAppears() throws Exception {
        Path diag = tmp.resolve("diag");
        assertEquals(0, Cli.run(tiny("diagnose", diag)).code());
        Path file = diag.resolve(SupernetWeights.FILE);

        Path out = tmp.resolve("wide");
        Cli.Outcome wide = Cli.run(tiny("search", out, "--channels", "4", "--init-supernet", file.toString()));
        assertTrue(wide.cleanError(), wide.all());
        assertTrue(wide.err().contains("--init-supernet " + file) && wide.err().contains("'channels' is 2") && wide.err().contains("--channels 4"),
                wide.err());
        assertFalse(Files.exists(out), "a refused run left " + out);

        Path notOne = tmp.resolve("not-a-supernet.bin");
        Checkpoint other = new Checkpoint();
        other.header().put("format", "something-else");
        other.write(notOne);
        Cli.Outcome wrong = Cli.run(tiny("search", tmp.resolve("wrong"), "--init-supernet", notOne.toString()));
        assertTrue(wrong.cleanError() && wrong.err().contains("not a supernet.bin"), wrong.all());

        Path garbage = tmp.resolve("garbage.bin");
        Files.writeString(garbage, "hello");
        Cli.Outcome bad = Cli.run(tiny("search", tmp.resolve("bad"), "--init-supernet", garbage.toString()));
        assertTrue(bad.cleanError() && bad.err().contains(garbage.toString()), bad.all());

        Cli.Outcome missing = Cli.run(tiny("search", tmp.resolve("missing"), "--init-supernet", tmp.resolve("nope.bin").toString()));
        assertTrue(missing.cleanError() && missing.err().contains("no such file"), missing.all());
    }
}
