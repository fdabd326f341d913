package org.proxynas.report;

import org.proxynas.chart.Chart;
import org.proxynas.run.AtomicFiles;
import org.proxynas.space.CellType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The report's figures written into the run directory: each chart as SVG (kept for the page) and PNG where
 * java.desktop exists, each cell diagram as SVG and DOT. A figure that cannot be drawn is recorded with its reason
 * instead; nothing here fails the report.
 */
final class RunFigures {
    private final List<String> written = new ArrayList<>();
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final Map<String, String> svgs = new LinkedHashMap<>();

    private RunFigures() {}

    static RunFigures write(RunData data) {
        RunFigures f = new RunFigures();
        new RunCharts(data).all().forEach((name, chart) -> f.chart(data.dir(), name, chart));
        f.cells(data);
        return f;
    }

    /** File names in the order they were written. */
    List<String> written() { return Collections.unmodifiableList(written); }

    /** For each figure not written (a chart keyed by its SVG file), why. */
    Map<String, String> missing() { return Collections.unmodifiableMap(missing); }

    /** The SVG markup of a chart that was drawn, or null. */
    String svg(String chart) { return svgs.get(chart); }

    /** Draws one chart as SVG and PNG where possible; a failure becomes a reason in the page. */
    private void chart(Path dir, String name, Supplier<RunCharts.Drawn> d) {
        String svgFile = RunReport.svgFile(name), pngFile = RunReport.pngFile(name);
        try {
            RunCharts.Drawn r = d.get();
            if (r.chart() == null) {
                missing.put(svgFile, r.why());
                return;
            }
            String svg = r.chart().svg(name);
            AtomicFiles.writeString(dir.resolve(svgFile), svg);
            written.add(svgFile);
            svgs.put(name, svg);
            // PNG is a convenience copy: the GPU bundle's runtime has no java.desktop, and the SVG is the chart.
            if (Chart.pngAvailable()) {
                AtomicFiles.write(dir.resolve(pngFile), r.chart().png(Chart.WIDTH, Chart.HEIGHT));
                written.add(pngFile);
            }
        } catch (RuntimeException e) {
            missing.put(svgFile, "could not be drawn: " + ReportFormat.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private void cells(RunData data) {
        for (CellType cell : CellType.values()) {
            for (String file : List.of(RunReport.cellSvg(cell), RunReport.cellDot(cell))) {
                if (data.genotype() == null) {
                    missing.put(file, data.genotypeProblem());
                    continue;
                }
                String text = file.endsWith(".svg") ? CellDiagram.svg(data.genotype(), cell) : CellDiagram.dot(data.genotype(), cell);
                AtomicFiles.writeString(data.dir().resolve(file), text);
                written.add(file);
            }
        }
    }
}
