package org.proxynas.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.chart.Box;
import org.proxynas.chart.Chart;
import org.proxynas.chart.HeatMap;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotypes;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {
    static final List<String> PNGS = List.of("loss.png", "accuracy.png", "proxy.png", "tau.png", "alpha_normal.png",
            "alpha_reduce.png", "ops.png");
    static final List<String> SVGS = PNGS.stream().map(f -> f.replace(".png", ".svg")).toList();
    static final List<String> CELLS = List.of("normal.svg", "normal.dot", "reduce.svg", "reduce.dot");

    @TempDir static Path tmp;
    static Path run;
    static RunReport.Result result;

    @BeforeAll
    static void generate() throws IOException {
        run = SyntheticRun.write(tmp.resolve("full"));
        result = RunReport.generate(run);
    }

    @Test
    void writesEveryFileAndNothingIsMissing() {
        assertEquals(Set.of(), result.missing().keySet(), () -> "missing: " + result.missing());
        for (String f : Stream.of(SVGS, PNGS, CELLS, List.of("report.html")).flatMap(List::stream).toList()) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
            assertTrue(result.written().contains(f), f);
        }
        assertEquals(run.resolve("report.html"), result.html());
    }

    @Test
    void noTempFilesLeft() throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    @Test
    void pngsDecodeAtTheDefaultSizeAndAreNotBlank() throws IOException {
        for (String f : PNGS) {
            BufferedImage img = ImageIO.read(run.resolve(f).toFile());
            assertNotNull(img, f);
            assertEquals(Chart.WIDTH, img.getWidth(), f);
            assertEquals(Chart.HEIGHT, img.getHeight(), f);
            assertTrue(distinctColours(img) >= 8, f + " has only " + distinctColours(img) + " colours");
        }
    }

    @Test
    void heatMapShowsHighAndLowAlphaInDifferentColours() throws IOException {
        BufferedImage img = ImageIO.read(run.resolve("alpha_normal.png").toFile());
        double[][] a = SyntheticRun.alpha(new java.util.Random(0), SyntheticRun.SEARCH, true);
        String[] rows = new String[14], cols = new String[8];
        for (int e = 0; e < 14; e++) rows[e] = RunCharts.edgeLabel(e);
        for (int k = 0; k < 8; k++) cols[k] = org.proxynas.space.Primitive.fromIndex(k).shortName();
        HeatMap layout = new HeatMap("α, normal cell (search iter 40)", a, rows, cols);
        Box high = layout.cellBounds(SyntheticRun.HIGH_EDGE, SyntheticRun.HIGH_OP, img.getWidth(), img.getHeight());
        Box low = layout.cellBounds(SyntheticRun.HIGH_EDGE, 0, img.getWidth(), img.getHeight());
        // sample near the cell's inner corner, away from the value text and the highlight outline
        int ph = img.getRGB((int) high.x() + 6, (int) (high.bottom() - 6)), pl = img.getRGB((int) low.x() + 6, (int) (low.bottom() - 6));
        assertNotEquals(ph, pl);
        assertEquals(HeatMap.colour(1.0).rgb(), img.getRGB((int) high.centreX(), (int) (high.bottom() - 5)) & 0xFFFFFF,
                "the highest α is drawn in the top colour of the scale");
        assertEquals(HeatMap.colour(0.0).rgb(), pl & 0xFFFFFF, "the lowest α is drawn in the bottom colour");
    }

    @Test
    void svgsAreXmlAndNameEveryOp() throws Exception {
        for (CellType cell : CellType.values()) {
            String svg = Files.readString(run.resolve(cell.key() + ".svg"));
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", doc.getDocumentElement().getNodeName());
            for (Gene g : Genotypes.DARTS_V2.genes(cell)) assertTrue(svg.contains(">" + g.op().dartsName() + "<"), g.op() + " in " + cell);
        }
    }

    @Test
    void everyChartIsInlinedInTheHtmlAsWellFormedSvg() throws Exception {
        String html = Files.readString(run.resolve("report.html"));
        List<String> inline = new java.util.ArrayList<>();
        for (int i = html.indexOf("<svg "); i >= 0; i = html.indexOf("<svg ", i + 1)) {
            inline.add(html.substring(i, html.indexOf("</svg>", i) + "</svg>".length()));
        }
        assertEquals(SVGS.size(), inline.size(), "one inline SVG per chart");
        Set<String> clipIds = new HashSet<>();
        for (String svg : inline) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            assertEquals(String.valueOf(Chart.WIDTH), doc.getDocumentElement().getAttribute("width"));
            org.w3c.dom.NodeList clips = doc.getElementsByTagName("clipPath");
            for (int k = 0; k < clips.getLength(); k++) {
                String id = ((org.w3c.dom.Element) clips.item(k)).getAttribute("id");
                assertTrue(clipIds.add(id), "clip id " + id + " is unique in the page");
            }
        }
        for (String f : SVGS) assertEquals(Files.readString(run.resolve(f)).strip(), inline.get(SVGS.indexOf(f)).strip(), f);
    }

    @Test
    void dotHasEightOpEdgesAndFourConcatEdges() throws IOException {
        for (CellType cell : CellType.values()) {
            String dot = Files.readString(run.resolve(cell.key() + ".dot"));
            assertEquals(12, count(dot, "->"), cell.key());
            assertEquals(4, count(dot, "-> \"c_{k}\""), cell.key());
            assertTrue(dot.startsWith("digraph " + cell.key() + " {"));
        }
    }

    @Test
    void htmlReferencesEveryProducedFileAndTheInputs() throws IOException {
        String html = Files.readString(run.resolve("report.html"));
        for (String f : result.written()) if (!f.equals("report.html")) assertTrue(html.contains("\"" + f + "\""), f);
        for (String f : List.of("metrics.jsonl", "log.txt", "genotype.json", "genotype.txt", "config.json", "proxy.json")) {
            assertTrue(html.contains("href=\"" + f + "\""), f);
        }
        assertTrue(html.contains("normal_concat=[2, 3, 4, 5]"), "genotype text");
        assertTrue(html.contains("&quot;method&quot; : &quot;pvll&quot;"), "pretty-printed config");
        assertTrue(html.contains("Kendall τ on the memory, best (the fit, not a ranking check)"));
        assertTrue(html.contains("proxy τ held out (ranking of unseen paths)") && html.contains(">1.0000 [-0.6200, 1.0000] (n=3)<"),
                "held-out tau from proxy.json with the heldout record's interval");
        assertTrue(html.contains("skipped 1 unreadable line"), "the torn line is reported");
        assertFalse(html.contains("not available:"), "nothing missing in a complete run");
        assertTrue(html.contains("regressor_warmup"), "phase table");
    }

    @Test
    void regeneratingReplacesTheFiles() throws IOException {
        Path copy = SyntheticRun.write(tmp.resolve("again"));
        RunReport.generate(copy);
        RunReport.Result second = RunReport.generate(copy);
        assertEquals(result.written().size(), second.written().size());
    }

    @Test
    void partialRunStillGetsAReport() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("partial"));
        MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"));
        for (int p = 1; p <= 5; p++) {
            log.append(MetricsLog.record("phase", "warmup", "sample", p, "train_loss", 2.3 - 0.1 * p, "train_acc", 0.1, "elapsed_s", p));
        }
        RunReport.Result r = RunReport.generate(dir);
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        assertTrue(r.written().containsAll(List.of("loss.svg", "loss.png")));
        for (String f : List.of("proxy.svg", "tau.svg", "alpha_normal.svg", "alpha_reduce.svg", "ops.svg", "normal.svg", "reduce.dot")) {
            assertTrue(r.missing().containsKey(f), f);
            assertFalse(Files.exists(dir.resolve(f)), f);
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Genotype not available"));
        assertTrue(html.contains("Configuration not available"));
        assertTrue(html.contains("proxy.svg not available"));
        assertTrue(html.contains("alpha_normal.svg not available"));
        assertTrue(html.contains("\"loss.svg\""));
        assertEquals(2, count(html, "<svg "), "loss and accuracy charts inlined");
        assertFalse(Files.exists(dir.resolve("proxy.png")), "no PNG for a chart that was not drawn");
    }

    @Test
    void emptyOrMissingMetricsStillGetAReport() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        RunReport.Result r = RunReport.generate(dir);
        assertEquals(List.of("report.html"), r.written());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("there is no metrics.jsonl"));
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"phase\":\"warm");
        r = RunReport.generate(dir);
        assertEquals(List.of("report.html"), r.written());
    }

    @Test
    void genotypeFallsBackToTheFinalRecord() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("nogenotypefile"));
        new MetricsLog(dir.resolve("metrics.jsonl")).append(MetricsLog.record("phase", "final",
                "genotype", Genotypes.DARTS_V1.toDartsText(), "elapsed_s", 3.0));
        RunReport.Result r = RunReport.generate(dir);
        assertTrue(r.written().containsAll(CELLS));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("the final record of metrics.jsonl"));
    }

    @Test
    void baselinesDrawWhatExists() throws IOException {
        Path darts = Files.createDirectories(tmp.resolve("darts"));
        MetricsLog log = new MetricsLog(darts.resolve("metrics.jsonl"));
        double[][] a = SyntheticRun.alpha(new java.util.Random(1), SyntheticRun.SEARCH, true);
        for (int t = 1; t <= 5; t++) {
            log.append(MetricsLog.record("phase", "search", "iter", t, "train_loss", 2.0 - 0.1 * t, "val_loss", 2.1 - 0.1 * t,
                    "alpha_normal", a, "alpha_reduce", a, "genotype", Genotypes.DARTS_V1.toDartsText(), "elapsed_s", 10.0 * t));
        }
        RunReport.Result r = RunReport.generate(darts);
        assertTrue(r.written().containsAll(List.of("loss.svg", "alpha_normal.svg", "alpha_reduce.svg", "ops.svg", "normal.svg")),
                r.written().toString());
        assertTrue(r.missing().containsKey("tau.svg") && r.missing().containsKey("proxy.svg"), r.missing().toString());

        Path random = Files.createDirectories(tmp.resolve("random"));
        log = new MetricsLog(random.resolve("metrics.jsonl"));
        for (int c = 1; c <= 4; c++) {
            log.append(MetricsLog.record("phase", "search", "candidate", c, "val_loss", 1.5 + 0.1 * c, "val_acc", 0.5,
                    "predicted", 1.4 + 0.12 * c, "genotype", Genotypes.DARTS_V2.toDartsText(), "elapsed_s", 3.0 * c));
        }
        r = RunReport.generate(random);
        assertTrue(r.written().containsAll(List.of("loss.svg", "proxy.svg", "ops.svg")), r.written().toString());
        assertTrue(r.missing().containsKey("alpha_normal.svg"));
    }

    @Test
    void missingDirectoryIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> RunReport.generate(tmp.resolve("nope")));
    }

    @Test
    void edgeLabelsFollowTheTopology() {
        assertEquals("n0<-s0", RunCharts.edgeLabel(0));
        assertEquals("n1<-n0", RunCharts.edgeLabel(4));
        assertEquals("n3<-n2", RunCharts.edgeLabel(13));
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> s = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) s.add(img.getRGB(x, y));
        return s.size();
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }
}
