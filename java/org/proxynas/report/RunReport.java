package org.proxynas.report;

import org.proxynas.run.AtomicFiles;
import org.proxynas.space.CellType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of a run directory (docs/formats.md#run-directory): SVG charts (inlined in report.html; PNG copies
 * too where java.desktop exists), cell diagrams (DOT and SVG) and report.html tying them to the configuration, the
 * genotype and a summary. Reads whatever exists and says in the page what is missing, so it works on a run that is
 * still going or was killed; it never fails because an input is absent or damaged. Every file is written
 * atomically. Three steps: {@link RunData} reads the directory, {@link RunFigures} draws and writes the figures,
 * {@link ReportPage} writes the page.
 */
public final class RunReport {
    public static final String HTML = "report.html";
    /** Chart names: each is written as NAME.svg (and NAME.png where java.desktop exists). */
    public static final String LOSS = "loss", ACCURACY = "accuracy", PROXY = "proxy", TAU = "tau", OPS = "ops";

    private RunReport() {}

    /** alpha_normal / alpha_reduce. */
    public static String alphaChart(CellType cell) { return "alpha_" + cell.key(); }

    /** The SVG file of a chart. */
    public static String svgFile(String chart) { return chart + ".svg"; }

    /** The PNG file of a chart. */
    public static String pngFile(String chart) { return chart + ".png"; }

    /** normal.svg / reduce.svg. */
    public static String cellSvg(CellType cell) { return cell.key() + ".svg"; }

    /** normal.dot / reduce.dot. */
    public static String cellDot(CellType cell) { return cell.key() + ".dot"; }

    /**
     * What was written (file names relative to the run directory, report.html last) and, for each output that was
     * not, why (in output order; a chart that could not be drawn is keyed by its SVG file).
     */
    public record Result(Path html, List<String> written, Map<String, String> missing) {
        public Result {
            written = List.copyOf(written);
            missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        }
    }

    /**
     * Regenerates the report of {@code runDir}. Fails only if the directory does not exist or a file cannot be
     * written; anything missing or unreadable inside it becomes a note in the page.
     */
    public static Result generate(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("run directory " + runDir + (Files.exists(runDir) ? " is not a directory" : " does not exist"));
        }
        RunData data = RunData.load(runDir);
        RunFigures figures = RunFigures.write(data);
        AtomicFiles.writeString(runDir.resolve(HTML), ReportPage.html(data, figures));
        List<String> written = new ArrayList<>(figures.written());
        written.add(HTML);
        return new Result(runDir.resolve(HTML), written, figures.missing());
    }
}
