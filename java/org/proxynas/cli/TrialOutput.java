package org.proxynas.cli;

import org.proxynas.experiment.SearchFigures;
import org.proxynas.run.MetricsLog;
import org.proxynas.space.Genotype;
import org.proxynas.train.Retrainer;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The trial contract (Kubeflow Katib): a finished search or training prints its figures as {@code name=value}
 * lines on stdout (Katib's StdOut collector), appends them as one JSON line with a {@code timestamp} to
 * {@code --metrics-file} (Katib's File collector, JSON format: values as strings, timestamp in Unix seconds), and
 * a search ends with a {@code Best-Genotype=Genotype(...)} line.
 */
public final class TrialOutput {
    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "Also append the final metrics as a JSON line with a timestamp to FILE (Katib's File metrics collector).")
    Path metricsFile;

    /** The search's own figures (SearchFigures) and the genotype. */
    void searchFinished(Path run, Genotype genotype, PrintStream out) {
        Map<String, Double> m = new LinkedHashMap<>();
        SearchFigures f = SearchFigures.read(run);
        if (f != null) {
            m.put("best-val-loss", f.bestValLoss());
            m.put("val-loss", f.finalValLoss());
            m.put("val-accuracy", f.finalValAcc());
            if (f.heldoutTau() != null) m.put("heldout-tau", f.heldoutTau());
        }
        report(m, out);
        out.println("Best-Genotype=" + genotype.toDartsText());
    }

    void trainFinished(Retrainer.Result r, PrintStream out) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test-accuracy", r.testAccuracy());
        m.put("test-loss", r.testLoss());
        m.put("train-accuracy", r.trainAccuracy());
        m.put("train-loss", r.trainLoss());
        report(m, out);
    }

    private void report(Map<String, Double> metrics, PrintStream out) {
        Map<String, Object> line = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String v = format(e.getValue());
            out.println(e.getKey() + "=" + v);
            line.put(e.getKey(), v);
        }
        if (metricsFile != null) {
            line.put("timestamp", Instant.now().toEpochMilli() / 1000.0);
            new MetricsLog(metricsFile).append(line);
        }
    }

    /** Full precision, plain notation where Katib's number pattern expects it. */
    private static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        return String.format(Locale.ROOT, "%.8g", v).strip();
    }
}
