package org.proxynas;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package layers of docs/architecture.md, checked on the main sources: every reference to another project
 * package (an import, a static import or a fully qualified name in code; comments and string literals do not count)
 * must be one its package's row in {@link #ALLOWED} lists. A new package fails until it is given a row.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("java/org/proxynas");

    /**
     * Per package, the project packages it may use, bottom layer first. A row lists only layers below it, with two
     * narrowings: the backends (cpu, cuda) are named only where a backend is chosen (cli, the benchmarks) and
     * everything else codes against tensor's Backend and its capabilities; chart is drawn only by the report and
     * the tools above it.
     */
    static final Map<String, Set<String>> ALLOWED = rules(
            // foundations: no project imports
            "tensor", "",
            "rng", "",
            "chart", "",
            "stats", "",
            // backends and the ONNX evaluator; cuda's self-check compares with the CPU reference
            "cpu", "tensor",
            "cuda", "tensor rng cpu",
            "onnx", "tensor",
            // the search space, data
            "space", "rng",
            "data", "tensor rng",
            // layers and networks, the proxy, the NAS-Bench-301 surrogate
            "nn", "tensor rng space",
            "proxy", "tensor rng space nn",
            "nb301", "tensor onnx space",
            // the run directory's files (checkpoints hold tensors and parameters)
            "run", "tensor rng space data nn proxy",
            // search and retraining
            "train", "tensor rng space data nn proxy run",
            "search", "tensor rng stats space data nn proxy run train",
            // what reads run directories and draws: the report, experiments, benchmarks
            "report", "tensor rng space data nn proxy run chart",
            "experiment", "tensor rng space data nn proxy run report chart",
            "nasbench", "tensor cpu rng stats space onnx nb301 nn proxy run chart",
            "bench", "tensor cpu rng space data nn proxy run train chart",
            // the commands wire everything together
            "cli", "tensor rng stats chart cpu cuda onnx space data nn proxy nb301 run train search report experiment nasbench bench");

    private static Map<String, Set<String>> rules(String... packageAndUses) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < packageAndUses.length; i += 2) {
            String uses = packageAndUses[i + 1].strip();
            m.put(packageAndUses[i], uses.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(uses.split(" +"))));
        }
        return m;
    }

    /** A source file: its path (for messages) and text. */
    record Source(String path, String text) {}

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+org\\.proxynas\\.([a-z][a-z0-9_]*)[.;]", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\s*\\.\\s*proxynas\\s*\\.\\s*([a-z][a-z0-9_]*)\\b");

    /** Every reference that breaks the rules, as "path:line: message", in file order. */
    static List<String> violations(List<Source> sources, Map<String, Set<String>> allowed) {
        List<String> out = new ArrayList<>();
        for (Source s : sources) {
            String code = code(s.text());
            Matcher pm = PACKAGE.matcher(code);
            if (!pm.find()) {
                out.add(s.path() + ":1: no package declaration under org.proxynas");
                continue;
            }
            String pkg = pm.group(1);
            Set<String> uses = allowed.get(pkg);
            if (uses == null) {
                out.add(s.path() + ":" + line(code, pm.start(1)) + ": package '" + pkg + "' has no row in the layer table "
                        + "(LayeringTest.ALLOWED); place it in a layer");
                continue;
            }
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String target = m.group(1);
                if (target.equals(pkg) || uses.contains(target)) continue;
                out.add(s.path() + ":" + line(code, m.start()) + ": " + pkg + " uses " + target + ", which is not below it"
                        + " (" + pkg + " may use: " + (uses.isEmpty() ? "no project package" : String.join(", ", uses)) + ")");
            }
        }
        return out;
    }

    private static int line(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') n++;
        return n;
    }

    /** The text with comments and the contents of string, text-block and char literals blanked (newlines kept). */
    static String code(String text) {
        StringBuilder b = new StringBuilder(text);
        int i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                i = blank(b, i, end < 0 ? n : end);
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = blank(b, i, end < 0 ? n : end + 2);
            } else if (text.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !text.startsWith("\"\"\"", end)) end += text.charAt(end) == '\\' ? 2 : 1;
                i = blank(b, i + 3, Math.min(n, end)) + 3;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && text.charAt(end) != c && text.charAt(end) != '\n') end += text.charAt(end) == '\\' ? 2 : 1;
                i = blank(b, i + 1, Math.min(n, end)) + 1;
            } else {
                i++;
            }
        }
        return b.toString();
    }

    private static int blank(StringBuilder b, int from, int to) {
        for (int k = from; k < to; k++) if (b.charAt(k) != '\n') b.setCharAt(k, ' ');
        return to;
    }

    private static List<Source> mainSources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<Source> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) out.add(new Source(p.toString(), Files.readString(p)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mainSourcesFollowTheLayers() {
        List<Source> sources = mainSources();
        assertTrue(sources.size() > 200, "found only " + sources.size() + " sources under " + SOURCES.toAbsolutePath());
        List<String> found = violations(sources, ALLOWED);
        assertEquals(List.of(), found, () -> found.size() + " layering violations:\n" + String.join("\n", found));
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(packages, new TreeSet<>(ALLOWED.keySet()), "every package has a row, and every row a package");
    }

    @Test
    void plantedViolationsAreFoundWithFileAndLine() {
        List<Source> planted = List.of(
                new Source("search/A.java", """
                        package org.proxynas.search;

                        import org.proxynas.tensor.Backend;
                        import org.proxynas.cuda.CudaBackend;
                        class A {}
                        """),
                new Source("train/B.java", """
                        package org.proxynas.train;
                        class B { Object c = new org.proxynas.chart.LineChart("t", "x", "y"); }
                        """),
                new Source("search/C.java", "package org.proxynas.search;\nimport static org.proxynas.cli.Main.commandLine;\n"),
                new Source("run/D.java", "package org.proxynas.run;\nimport org.proxynas.report.RunReport;\n"),
                new Source("tensor/E.java", "package org.proxynas.tensor;\nimport org.proxynas.nn.Param;\n"),
                new Source("search/F.java", "package org.proxynas.search;\nimport org.proxynas.report.RunReport;\n"),
                new Source("cli/G.java", "package org.proxynas.cli;\nimport org.proxynas.cuda.CudaBackend;\n"),
                new Source("newthing/H.java", "package org.proxynas.newthing;\n"));
        List<String> found = violations(planted, ALLOWED);
        assertEquals(List.of(
                "search/A.java:4: search uses cuda, which is not below it (search may use: tensor, rng, stats, space, data, nn, proxy, run, train)",
                "train/B.java:2: train uses chart, which is not below it (train may use: tensor, rng, space, data, nn, proxy, run)",
                "search/C.java:2: search uses cli, which is not below it (search may use: tensor, rng, stats, space, data, nn, proxy, run, train)",
                "run/D.java:2: run uses report, which is not below it (run may use: tensor, rng, space, data, nn, proxy)",
                "tensor/E.java:2: tensor uses nn, which is not below it (tensor may use: no project package)",
                "search/F.java:2: search uses report, which is not below it (search may use: tensor, rng, stats, space, data, nn, proxy, run, train)",
                "newthing/H.java:1: package 'newthing' has no row in the layer table (LayeringTest.ALLOWED); place it in a layer"),
                found);
    }

    @Test
    void commentsAndStringLiteralsAreNotDependencies() {
        Source s = new Source("search/X.java", String.join("\n",
                "package org.proxynas.search;",
                "",
                "/** Like {@link org.proxynas.cuda.CudaBackend}, but /* not nested. */",
                "class X {",
                "    // org.proxynas.cli.Main",
                "    String a = \"org.proxynas.report.RunReport \\\" org.proxynas.chart.Chart\";",
                "    char q = '\"';",
                "    String b = \"\"\"",
                "            org.proxynas.cuda.CudaBackend \"quoted\" \\\"\"\" still inside",
                "            \"\"\";",
                "    Object c = new org.proxynas.cuda.CudaBackend(null);",
                "}"));
        assertEquals(List.of("search/X.java:11: search uses cuda, which is not below it (search may use: tensor, rng, stats, space, data, nn, proxy, "
                + "run, train)"), violations(List.of(s), ALLOWED), "only the reference in code counts");
    }

    @Test
    void theTableIsLayeredWithoutCycles() {
        for (var e : ALLOWED.entrySet()) {
            for (String used : e.getValue()) assertTrue(ALLOWED.containsKey(used), e.getKey() + " uses unknown package " + used);
        }
        // each row may use only rows above it in the table: bottom layer first, so no cycle can be written
        List<String> order = new ArrayList<>(ALLOWED.keySet());
        for (var e : ALLOWED.entrySet()) {
            for (String used : e.getValue()) {
                assertTrue(order.indexOf(used) < order.indexOf(e.getKey()), e.getKey() + " uses " + used + ", which comes after it in the table");
            }
        }
    }
}
