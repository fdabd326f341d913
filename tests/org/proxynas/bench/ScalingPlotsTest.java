package org.proxynas.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.run.JsonFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingPlotsTest {
    @TempDir Path tmp;

    private Path result(int c, int l, int b, Double singleMs, Double mixtureMs) {
        Map<String, Object> args = Map.of("channels", c, "layers", l, "batch", b);
        List<Map<String, Object>> runs = new ArrayList<>();
        runs.add(run("single", singleMs, b));
        runs.add(run("mixture", mixtureMs, b));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("meta", Map.of("backend", "cpu", "cpu_model", "Intel(R) Xeon(R) Processor @ 2.50GHz", "threads", 2, "args", args));
        root.put("runs", runs);
        Path f = tmp.resolve("c" + c + "-l" + l + "-b" + b + ".json");
        JsonFiles.write(f, root);
        return f;
    }

    private static Map<String, Object> run(String mode, Double ms, int batch) {
        Map<String, Object> r = new HashMap<>();
        r.put("mode", mode);
        r.put("phase", "train_step");
        r.put("status", ms == null ? "budget_exhausted" : "ok");
        r.put("median_ms", ms);
        r.put("images_per_s", ms == null ? null : batch / (ms / 1e3));
        r.put("cpu_median_ms", ms == null ? null : 1.9 * ms);
        r.put("heap_retained_bytes", ms == null ? null : (long) batch << 22);
        r.put("peak_device_bytes", null);
        return r;
    }

    @Test
    void oneSvgAndPngPerAxisWithTwoOrMoreSizes() throws IOException {
        List<Path> files = List.of(result(16, 8, 16, 900.0, 4000.0), result(16, 8, 64, 3600.0, 17000.0),
                result(16, 8, 256, 15000.0, null), result(32, 8, 64, 9000.0, 50000.0), result(16, 5, 64, 2500.0, 11000.0));
        ScalingPlots.Study study = ScalingPlots.read(files);
        assertEquals(10, study.points().size());
        assertEquals("CPU Intel Xeon @ 2.50GHz, 2 threads", study.machine());
        List<Path> written = ScalingPlots.write(study, tmp);
        assertEquals(List.of(tmp.resolve("scaling-batch.svg"), tmp.resolve("scaling-batch.png"), tmp.resolve("scaling-channels.svg"),
                tmp.resolve("scaling-channels.png"), tmp.resolve("scaling-layers.svg"), tmp.resolve("scaling-layers.png")), written);
        for (Path p : written) {
            if (p.toString().endsWith(".svg")) {
                // the same four panels, each a complete chart with its title
                String svg = Files.readString(p);
                assertEquals(4, svg.split("<g class=\"panel\"", -1).length - 1, p.toString());
                assertEquals(4, svg.split("<g class=\"title\"", -1).length - 1, p.toString());
                continue;
            }
            BufferedImage img = ImageIO.read(p.toFile());
            // four panels: time, images/s, CPU time, heap (no device memory was measured)
            assertEquals(4 * (org.proxynas.chart.Chart.HEIGHT - 60), img.getHeight(), p.toString());
        }
    }

    @Test
    void aFileThatIsNotABenchResultIsNamed() throws IOException {
        Path f = Files.writeString(tmp.resolve("other.json"), "{\"runs\": []}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalingPlots.read(List.of(f)));
        assertTrue(e.getMessage().contains("other.json") && e.getMessage().contains("'meta'"), e.getMessage());
        Path g = Files.writeString(tmp.resolve("noargs.json"), "{\"meta\": {\"args\": {\"channels\": 16}}, \"runs\": []}");
        e = assertThrows(IllegalArgumentException.class, () -> ScalingPlots.read(List.of(g)));
        assertTrue(e.getMessage().contains("noargs.json") && e.getMessage().contains("meta.args.layers"), e.getMessage());
    }
}
