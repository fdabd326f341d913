package org.proxynas.cli;

import org.proxynas.bench.ScalingPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code proxynas bench-plot DIR}: the scaling study's charts from the bench JSON files in DIR (benchmarks/scaling.sh). */
@Command(name = "bench-plot", hidden = true, mixinStandardHelpOptions = true,
        description = "Draw scaling-<axis>.svg (time per step, images/s, memory; a .png copy too where the Java runtime has "
                + "java.desktop) from the 'proxynas bench' JSON files in DIR.")
public final class BenchPlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "Folder of bench JSON files; the charts are written there.") Path dir;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) throw new UserError(dir + ": not a directory");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) throw new UserError(dir + ": no .json files (run benchmarks/scaling.sh first)");
        ScalingPlots.Study study = ScalingPlots.read(files);
        List<Path> written = ScalingPlots.write(study, dir);
        if (written.isEmpty()) throw new UserError(dir + ": no axis has two or more sizes at the other defaults (C=16, L=8, batch 64)");
        written.forEach(p -> System.out.println("wrote " + p));
        return 0;
    }
}
