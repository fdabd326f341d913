package org.proxynas.cli;

import org.junit.jupiter.api.Test;
import org.proxynas.search.SearchConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every option of every command reaches the code it names (audit item 3: --regressor-lr was parsed into
 * SearchConfig and never read). Three layers: (1) each search-family option, given a value that differs from both
 * presets, arrives in the resolved SearchConfig field the table names; (2) every field of the configuration records
 * the commands build is read by code outside the record and the command line; (3) every option field of the other
 * commands is read by its command after parsing. A new option without a table row fails (1) or (3).
 */
class OptionWiringTest {
    private static final Path SOURCES = Path.of("java");

    /** A search option, a value on the command line, and where it must arrive. */
    private record Row(String value, Function<SearchConfig, Object> field, Object expected) {}

    private static final Map<String, Row> SEARCH = new LinkedHashMap<>();

    static {
        SEARCH.put("--method", new Row("darts", SearchConfig::method, SearchConfig.Method.darts));
        SEARCH.put("--regressor", new Row("gae", c -> c.proxy().regressor(), SearchConfig.RegressorKind.gae));
        SEARCH.put("--oiw", new Row(null, c -> c.alpha().oiw(), true));
        SEARCH.put("--warmup-samples", new Row("7", c -> c.schedule().warmupSamples(), 7));
        SEARCH.put("--iterations", new Row("9", c -> c.schedule().iterations(), 9));
        SEARCH.put("--regressor-warmup", new Row("11", c -> c.proxy().regressorWarmupEpochs(), 11));
        SEARCH.put("--regressor-epochs", new Row("13", c -> c.proxy().regressorMaxEpochs(), 13));
        SEARCH.put("--tau-stop", new Row("0.77", c -> c.proxy().tauStop(), 0.77));
        SEARCH.put("--memory", new Row("17", c -> c.proxy().memoryCapacity(), 17));
        SEARCH.put("--batch", new Row("19", c -> c.data().batch(), 19));
        SEARCH.put("--eval-batch", new Row("23", c -> c.data().evalBatch(), 23));
        SEARCH.put("--lr", new Row("0.031", c -> c.supernet().lr(), 0.031));
        SEARCH.put("--lr-min", new Row("0.0021", c -> c.supernet().lrMin(), 0.0021));
        SEARCH.put("--momentum", new Row("0.81", c -> c.supernet().momentum(), 0.81));
        SEARCH.put("--weight-decay", new Row("0.0007", c -> c.supernet().weightDecay(), 0.0007));
        SEARCH.put("--grad-clip", new Row("3.5", c -> c.supernet().gradClip(), 3.5));
        SEARCH.put("--temperature", new Row("0.37", c -> c.alpha().temperature(), 0.37));
        SEARCH.put("--alpha-lr", new Row("0.0041", c -> c.alpha().alphaLr(), 0.0041));
        SEARCH.put("--alpha-weight-decay", new Row("0.0043", c -> c.alpha().alphaWeightDecay(), 0.0043));
        SEARCH.put("--regressor-lr", new Row("0.0047", c -> c.proxy().regressorLr(), 0.0047));
        SEARCH.put("--steps-per-sample", new Row("29", c -> c.schedule().stepsPerSample(), 29));
        SEARCH.put("--data-fraction", new Row("0.33", c -> c.data().dataFraction(), 0.33));
        SEARCH.put("--val-fraction", new Row("0.27", c -> c.data().valFraction(), 0.27));
        SEARCH.put("--val-batch-stats", new Row(null, c -> c.data().valBatchStats(), true));
        SEARCH.put("--init-supernet", new Row("warm.bin", c -> c.supernet().initWeights(), Path.of("warm.bin").toAbsolutePath().toString()));
        SEARCH.put("--channels", new Row("6", c -> c.supernet().channels(), 6));
        SEARCH.put("--layers", new Row("7", c -> c.supernet().layers(), 7));
        SEARCH.put("--gae-file", new Row("some.gae", c -> c.proxy().gaeFile(), Path.of("some.gae").toAbsolutePath().toString()));
        SEARCH.put("--gae-pretrain-archs", new Row("37", c -> c.proxy().gaePretrainArchs(), 37));
        SEARCH.put("--gae-pretrain-epochs", new Row("41", c -> c.proxy().gaePretrainEpochs(), 41));
        SEARCH.put("--heldout", new Row("43", c -> c.diagnostics().heldoutSamples(), 43));
        SEARCH.put("--diagnose-paths", new Row("5", c -> c.diagnostics().diagnosePaths(), 5));
        SEARCH.put("--diagnose-repeats", new Row("6", c -> c.diagnostics().diagnoseRepeats(), 6));
        SEARCH.put("--seed", new Row("53", SearchConfig::seed, 53L));
        SEARCH.put("--checkpoint-every", new Row("59", SearchConfig::checkpointEvery, 59));
    }

    /** Options of the search family that are not SearchConfig fields, each read by the command itself (checked in layer 3). */
    private static final Set<String> SEARCH_COMMAND_LEVEL = Set.of("--preset", "--out", "--resume", "--dataset", "--data", "--backend",
            "--device", "--threads", "--metrics-file", "--force");

    private static List<OptionSpec> options(CommandLine cmd) {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : cmd.getCommandSpec().options()) if (!o.usageHelp() && !o.versionHelp()) out.add(o);
        return out;
    }

    @Test
    void everySearchOptionArrivesInItsConfigField() {
        for (String name : List.of("search", "evolve", "diagnose")) {
            CommandLine cmd = Main.commandLine().getSubcommands().get(name);
            for (OptionSpec o : options(cmd)) {
                String opt = o.longestName();
                if (SEARCH_COMMAND_LEVEL.contains(opt)) continue;
                Row row = SEARCH.get(opt);
                assertNotNull(row, name + " " + opt + " has no row in OptionWiringTest.SEARCH: say where it must arrive");
                if (name.equals("evolve") && opt.equals("--method")) continue; // evolve fixes the method (tested below)
                SearchCommand c = switch (name) {
                    case "evolve" -> new EvolveCommand();
                    case "diagnose" -> new DiagnoseCommand();
                    default -> new SearchCommand();
                };
                new CommandLine(c).parseArgs(row.value() == null ? new String[] {opt} : new String[] {opt, row.value()});
                for (String preset : List.of("demo", "paper")) {
                    c.preset = preset;
                    SearchConfig cfg = c.resolve();
                    assertEquals(row.expected(), row.field().apply(cfg), name + " " + opt + " " + row.value() + " with --preset " + preset);
                }
            }
        }
        EvolveCommand e = new EvolveCommand();
        new CommandLine(e).parseArgs();
        assertEquals(SearchConfig.Method.evolve, e.resolve().method());
    }

    /** DARTS keeps its published alpha rate under the demo preset (whose 1e-1 is PVLL's); --alpha-lr still wins. */
    @Test
    void dartsKeepsItsPublishedAlphaRateUnlessTold() {
        double paper = SearchConfig.paper().alpha().alphaLr();
        for (String preset : List.of("demo", "paper")) {
            SearchCommand darts = new SearchCommand(), pvll = new SearchCommand(), told = new SearchCommand();
            new CommandLine(darts).parseArgs("--preset", preset, "--method", "darts");
            new CommandLine(pvll).parseArgs("--preset", preset, "--method", "pvll");
            new CommandLine(told).parseArgs("--preset", preset, "--method", "darts", "--alpha-lr", "0.02");
            assertEquals(paper, darts.resolve().alpha().alphaLr(), preset);
            assertEquals(preset.equals("demo") ? SearchConfig.demo().alpha().alphaLr() : paper, pvll.resolve().alpha().alphaLr(), preset);
            assertEquals(0.02, told.resolve().alpha().alphaLr(), preset);
        }
        assertNotEquals(paper, SearchConfig.demo().alpha().alphaLr(), "the demo's PVLL rate differs, or this test checks nothing");
    }

    @Test
    void everyConfigurationFieldIsReadBeyondTheCommandLine() throws IOException {
        // A field only the record itself and the CLI mention is parsed and never used.
        List<Class<?>> records = new ArrayList<>(List.of(SearchConfig.class, org.proxynas.train.RetrainConfig.class,
                org.proxynas.bench.BenchConfig.class, org.proxynas.proxy.GaePretrainer.Config.class));
        for (Class<?> c : SearchConfig.class.getDeclaredClasses()) if (c.isRecord()) records.add(c);
        assertTrue(records.size() >= 10, "SearchConfig's groups were not found: " + records);
        for (Class<?> record : records) {
            String own = record.getName().replace('.', '/');
            own = own.contains("$") ? own.substring(0, own.indexOf('$')) : own;
            String ownFile = own + ".java";
            StringBuilder elsewhere = new StringBuilder();
            try (Stream<Path> files = Files.walk(SOURCES)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String rel = SOURCES.relativize(f).toString().replace('\\', '/');
                    // A nested record (GaePretrainer.Config) is read by its enclosing class: only a top-level record's file is
                    // skipped, and SearchConfig's for its groups (its builder copies every field).
                    boolean skip = rel.equals(ownFile) && (record.getEnclosingClass() == null || record.getEnclosingClass() == SearchConfig.class);
                    if (skip || rel.startsWith("org/proxynas/cli/")) continue;
                    elsewhere.append(Files.readString(f));
                }
            }
            List<String> unread = new ArrayList<>();
            for (RecordComponent rc : record.getRecordComponents()) {
                if (!Pattern.compile("\\." + rc.getName() + "\\(\\)").matcher(elsewhere).find()) unread.add(rc.getName());
            }
            assertTrue(unread.isEmpty(), record.getSimpleName() + " fields never read outside the record and the CLI: " + unread);
        }
    }

    @Test
    void everyOptionFieldOfEveryCommandIsReadAfterParsing() throws IOException {
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<String, CommandLine> e : Main.commandLine().getSubcommands().entrySet()) {
            for (OptionSpec o : options(e.getValue())) {
                if (!(o.userObject() instanceof Field f)) continue;
                Class<?> owner = f.getDeclaringClass();
                String top = owner.getName().contains("$") ? owner.getName().substring(0, owner.getName().indexOf('$')) : owner.getName();
                Path src = SOURCES.resolve(top.replace('.', '/') + ".java");
                // Declaration once; a read is a further whole-word use in the declaring class, or "x.field" in another
                // command class (mixins are read that way).
                int uses = count(Files.readString(src), "\\b" + Pattern.quote(f.getName()) + "\\b");
                try (Stream<Path> cli = Files.list(SOURCES.resolve("org/proxynas/cli"))) {
                    for (Path other : cli.filter(p -> !p.equals(src)).toList()) {
                        uses += count(Files.readString(other), "\\." + Pattern.quote(f.getName()) + "\\b");
                    }
                }
                if (uses < 2) missing.add(e.getKey() + " " + o.longestName() + " (field " + owner.getSimpleName() + "." + f.getName() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "options parsed and never read: " + missing);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
