package org.proxynas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.proxynas.chart.Chart;
import org.proxynas.chart.Colour;
import org.proxynas.chart.LineChart;
import org.proxynas.run.AtomicFiles;
import org.proxynas.run.JsonFiles;

import java.io.IOException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The scaling study's figures from {@code proxynas bench} JSON files: one SVG per {@link ScalingAxis} (and a PNG
 * copy where java.desktop exists), with panels
 * for the median train_step time, images/s, the CPU time per step (on a shared machine the steadier
 * measure of work), and memory where it was measured (device high-water mark, or the heap a CPU run retained),
 * one line per mode. Runs without timings (budget, failure) leave gaps.
 */
public final class ScalingPlots {
    /** One train_step run of one file. */
    record Point(int channels, int layers, int batch, BenchMode mode, double medianMs, double imagesPerSecond,
                 double cpuMs, double deviceMiB, double heapMiB) {}

    /** The points of a set of files, and the machine of the first (backend, and the CPU model on the CPU). */
    public record Study(List<Point> points, String machine) {}

    private static final Colour MIXTURE = Colour.of(0x1f77b4), SINGLE = Colour.of(0xd62728);

    private ScalingPlots() {}

    /** Reads the train_step runs of each file; a file that is not a bench result is an error naming it and the field. */
    public static Study read(List<Path> files) {
        List<Point> points = new ArrayList<>();
        String machine = null;
        for (Path f : files) {
            JsonNode root;
            try {
                root = JsonFiles.mapper().readTree(f.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
                throw new IllegalArgumentException(f + ": not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                        + at.getColumnNr()), e);
            } catch (IOException e) {
                throw new IllegalArgumentException(f + ": not readable: " + e.getMessage(), e);
            }
            JsonNode meta = required(f, root, "meta"), args = meta.path("args");
            if (machine == null) {
                String backend = meta.path("backend").asText("?");
                machine = backend.equals("cpu") ? "CPU " + shortModel(meta.path("cpu_model").asText("?")) + ", " + meta.path("threads").asInt() + " threads"
                        : meta.path("backend_describe").asText(backend);
            }
            int c = requiredInt(f, args, "channels"), l = requiredInt(f, args, "layers"), b = requiredInt(f, args, "batch");
            for (JsonNode r : required(f, root, "runs")) {
                if (!BenchPhase.TRAIN_STEP.key().equals(r.path("phase").asText())) continue;
                BenchMode mode = BenchMode.parse(f + ": runs[].mode", r.path("mode").asText());
                points.add(new Point(c, l, b, mode, number(r, "median_ms"), number(r, "images_per_s"), number(r, "cpu_median_ms"),
                        number(r, "peak_device_bytes") / (1 << 20), number(r, "heap_retained_bytes") / (1 << 20)));
            }
        }
        return new Study(points, machine);
    }

    /** Writes scaling-&lt;axis&gt;.svg (and .png where possible) into dir for each axis with points; returns the files written. */
    public static List<Path> write(Study study, Path dir) {
        List<Point> points = study.points();
        String machine = study.machine();
        List<Path> written = new ArrayList<>();
        for (ScalingAxis axis : ScalingAxis.values()) {
            List<Point> on = points.stream().filter(p -> axis.holdsOthers(p.channels, p.layers, p.batch))
                    .sorted(Comparator.comparingInt(p -> axis.value(p.channels, p.layers, p.batch))).toList();
            if (on.stream().map(p -> axis.value(p.channels, p.layers, p.batch)).distinct().count() < 2) continue;
            double maxMs = on.stream().mapToDouble(Point::medianMs).filter(Double::isFinite).max().orElse(0);
            boolean seconds = maxMs >= 10_000;
            String held = switch (axis) {
                case BATCH -> "C=16, L=8";
                case CHANNELS -> "L=8, batch 64";
                case LAYERS -> "C=16, batch 64";
            };
            List<Chart> panels = new ArrayList<>();
            panels.add(chart(on, axis, "train_step time vs " + axis.label() + " (" + held + "), " + machine,
                    seconds ? "median s per step" : "median ms per step", p -> seconds ? p.medianMs / 1e3 : p.medianMs));
            panels.add(chart(on, axis, "Throughput vs " + axis.label() + " (" + held + ")", "images/s", Point::imagesPerSecond));
            double maxCpu = on.stream().mapToDouble(Point::cpuMs).filter(Double::isFinite).max().orElse(0);
            boolean cpuSeconds = maxCpu >= 10_000;
            LineChart cpu = chart(on, axis, "CPU time per step (all Java threads) vs " + axis.label(),
                    cpuSeconds ? "median CPU s per step" : "median CPU ms per step", p -> cpuSeconds ? p.cpuMs / 1e3 : p.cpuMs);
            if (cpu.hasData()) panels.add(cpu);
            LineChart device = chart(on, axis, "Peak device memory vs " + axis.label(), "MiB", Point::deviceMiB);
            if (device.hasData()) panels.add(device);
            LineChart heap = chart(on, axis, "Java heap retained after the steps (CPU backend) vs " + axis.label(), "MiB", Point::heapMiB);
            if (heap.hasData()) panels.add(heap);
            int h = Chart.HEIGHT - 60;
            Path svg = dir.resolve("scaling-" + axis.key() + ".svg");
            AtomicFiles.writeString(svg, Chart.svgStack(panels, Chart.WIDTH, h, "scaling-" + axis.key()));
            written.add(svg);
            if (Chart.pngAvailable()) {
                Path png = dir.resolve("scaling-" + axis.key() + ".png");
                AtomicFiles.write(png, Chart.pngStack(panels, Chart.WIDTH, h));
                written.add(png);
            }
        }
        return written;
    }

    private static LineChart chart(List<Point> on, ScalingAxis axis, String title, String yLabel, ToDoubleFunction<Point> y) {
        LineChart chart = new LineChart(title, axis.label(), yLabel);
        for (BenchMode mode : BenchMode.values()) {
            List<Point> ps = on.stream().filter(p -> p.mode == mode).toList();
            if (ps.isEmpty()) continue;
            chart.series(mode.key() + " (" + (mode == BenchMode.MIXTURE ? "DARTS" : "PVLL") + ")",
                    ps.stream().mapToDouble(p -> axis.value(p.channels, p.layers, p.batch)).toArray(),
                    ps.stream().mapToDouble(y).toArray(), mode == BenchMode.MIXTURE ? MIXTURE : SINGLE, LineChart.Style.LINE_AND_POINTS);
        }
        return chart;
    }

    /** "Intel(R) Xeon(R) Processor @ 2.50GHz" -> "Intel Xeon @ 2.50GHz", so a chart title fits. */
    private static String shortModel(String model) {
        return model.replaceAll("\\((R|TM)\\)", "").replaceAll("\\s+(CPU|Processor)\\b", "").replaceAll("\\s+", " ").trim();
    }

    private static JsonNode required(Path f, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(f + ": no '" + field + "' (not a proxynas bench result?)");
        return v;
    }

    private static int requiredInt(Path f, JsonNode args, String field) {
        JsonNode v = args.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(f + ": meta.args." + field + " missing or not an integer (not a proxynas bench result?)");
        }
        return v.asInt();
    }

    private static double number(JsonNode run, String field) {
        JsonNode v = run.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

}
