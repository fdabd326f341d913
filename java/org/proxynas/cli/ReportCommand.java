package org.proxynas.cli;

import org.proxynas.report.RunReport;
import org.proxynas.run.MetricsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proxynas report DIR}: regenerates the charts, cell diagrams and report.html of a run directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Regenerate the report of a run directory: PNG charts (losses, proxy, Kendall tau, alpha heat maps, "
                + "op counts), cell diagrams (DOT and SVG) and report.html.",
                "Works on a finished, running or interrupted run; what is missing is noted in the page."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory (contains metrics.jsonl).")
    Path dir;

    @Override
    public Integer call() {
        if (!Files.exists(dir)) throw new UserError("run directory " + dir + " does not exist");
        if (!Files.isDirectory(dir)) throw new UserError(dir + " is not a directory; give the run directory");
        if (!Files.isRegularFile(dir.resolve("metrics.jsonl"))) {
            throw new UserError("no metrics.jsonl in " + dir + ": is it a run directory (runs/<name>/)?");
        }
        readableMetrics(dir.resolve("metrics.jsonl"));
        RunReport.Result r;
        try {
            r = RunReport.generate(dir);
        } catch (UncheckedIOException e) {
            throw new UserError("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
        System.out.println("wrote " + r.html() + " (" + (r.written().size() - 1) + " charts and diagrams"
                + (r.missing().isEmpty() ? "" : ", " + r.missing().size() + " not available yet") + ")");
        return 0;
    }

    /** A report needs at least one record: an empty, binary or wholly damaged metrics.jsonl is an error, not a page. */
    private static void readableMetrics(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) throw new UserError(file + ": the file is empty (the run wrote no records yet); nothing to report");
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError(file + ": not a text file (invalid UTF-8); expected one JSON object per line");
        }
        MetricsReader.Records r = MetricsReader.parse(text);
        if (r.records().isEmpty()) {
            throw new UserError(file + ": no readable record (" + r.skippedLines().size() + " lines are not JSON objects); expected one JSON object per line");
        }
    }
}
