package org.proxynas.fuzz;

import org.proxynas.space.Genotypes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Valid cases for every input format, each read through the real CLI: the smallest data, networks and runs that
 * still take the full path (a 3-cell network on 8 images for one epoch; a finished 2-iteration random search).
 * Finished runs, the GAE file and the bench files are made once and copied per case.
 */
final class Scenes {
    private final Path base;
    private Path searchRun, trainRun, gae, bench, benchmarkRun, experiment;
    private byte[] nb301Model;

    Scenes(Path base) { this.base = base; }

    static List<String> train(Path data, String dataset, String genotype, Path out) {
        return new ArrayList<>(List.of("train", "--genotype", genotype, "--dataset", dataset, "--data", data.toString(), "--epochs", "1",
                "--layers", "3", "--channels", "4", "--batch", "4", "--cutout", "0", "--threads", "1", "--backend", "cpu", "--out", out.toString()));
    }

    static List<String> search(Path out) {
        return new ArrayList<>(List.of("search", "--method", "random", "--dataset", "synthetic", "--warmup-samples", "3",
                "--iterations", "2", "--steps-per-sample", "1", "--channels", "2", "--layers", "3", "--batch", "8",
                "--data-fraction", "0.02", "--val-fraction", "0.2", "--eval-batch", "64", "--threads", "1", "--backend", "cpu",
                "--heldout", "0", "--out", out.toString()));
    }

    // ---- one scene per format ------------------------------------------------------------------------------

    FuzzTarget.Scene idx(Path dir, String file) {
        Path d = Fixtures.fashionMnist(dir.resolve("data"), 8, 4), out = dir.resolve("out");
        return new FuzzTarget.Scene(d.resolve(file), train(d, "fashion-mnist", "DARTS_V2", out), out, out.resolve("result.json"));
    }

    FuzzTarget.Scene idxGzip(Path dir) {
        Path d = Fixtures.fashionMnist(dir.resolve("data"), 8, 4), out = dir.resolve("out");
        Path raw = d.resolve(Fixtures.TRAIN_IMAGES), gz = d.resolve(Fixtures.TRAIN_IMAGES + ".gz");
        Fixtures.write(gz, gzip(read(raw)));
        delete(raw);
        return new FuzzTarget.Scene(gz, train(d, "fashion-mnist", "DARTS_V2", out), out, out.resolve("result.json"));
    }

    FuzzTarget.Scene cifar(Path dir) {
        Path d = Fixtures.cifar10(dir.resolve("cifar"), 2, 4), out = dir.resolve("out");
        return new FuzzTarget.Scene(d.resolve("data_batch_3.bin"), train(d, "cifar10", "DARTS_V2", out), out, out.resolve("result.json"));
    }

    FuzzTarget.Scene genotype(Path dir, String fileName, String content) {
        Path d = Fixtures.fashionMnist(dir.resolve("data"), 8, 4), out = dir.resolve("out");
        Path g = Fixtures.write(dir.resolve(fileName), content.getBytes(StandardCharsets.UTF_8));
        return new FuzzTarget.Scene(g, train(d, "fashion-mnist", g.toString(), out), out, out.resolve("result.json"));
    }

    FuzzTarget.Scene genotypeText(Path dir) { return genotype(dir, "g.txt", Genotypes.resolve("DARTS_V2").toDartsText() + "\n"); }

    FuzzTarget.Scene genotypeJson(Path dir) { return genotype(dir, "g.json", Genotypes.resolve("PC_DARTS").toJson() + "\n"); }

    FuzzTarget.Scene searchResume(Path dir, String file) {
        Path run = copy(searchRun(), dir.resolve("run"));
        return new FuzzTarget.Scene(run.resolve(file), List.of("search", "--resume", run.toString()), null, run.resolve("genotype.json"));
    }

    FuzzTarget.Scene trainResume(Path dir, String file) {
        Path run = copy(trainRun(), dir.resolve("run"));
        return new FuzzTarget.Scene(run.resolve(file), List.of("train", "--resume", run.toString()), null, run.resolve("result.json"));
    }

    FuzzTarget.Scene metrics(Path dir) {
        Path run = copy(searchRun(), dir.resolve("run"));
        return new FuzzTarget.Scene(run.resolve("metrics.jsonl"), List.of("report", run.toString()), null, run.resolve("report.html"));
    }

    FuzzTarget.Scene benchJson(Path dir) {
        Path d = copy(bench(), dir.resolve("bench"));
        return new FuzzTarget.Scene(d.resolve("b16.json"), List.of("bench-plot", d.toString()), null, d.resolve("scaling-batch.png"));
    }

    FuzzTarget.Scene gaeFile(Path dir) {
        Path g = dir.resolve("gae.bin"), out = dir.resolve("out");
        Fixtures.write(g, read(gae()));
        List<String> a = search(out);
        a.addAll(List.of("--regressor", "gae", "--gae-file", g.toString()));
        return new FuzzTarget.Scene(g, a, out, out.resolve("genotype.json"));
    }

    /** A plan with both stages, every optional section and options the commands check (run as Kubernetes manifests: no task runs). */
    static final String PLAN_YAML = """
            name: fuzz-plan
            search:
              methods: [pvll, random]
              seeds: [1, 2]
              options: {dataset: synthetic, iterations: 2, channels: 2, layers: 3, oiw: true, val-fraction: 0.5}
            retrain:
              top: 1
              seeds: [3]
              options: {dataset: synthetic, epochs: 1, cutout: 0, auxiliary: false}
            resources: {gpus: 1, cpus: 2, memory: 4G, time: "01:00:00", max_parallel: 2}
            slurm: {partition: gpu, extra: ["--account=fuzz"]}
            k8s: {image: registry.example/proxynas:0.1.0, storage: 5Gi, namespace: fuzz}
            """;

    static List<String> experiment(Path plan, Path dir) {
        return List.of("experiment", plan.toString(), "--engine", "k8s", "--dir", dir.toString());
    }

    FuzzTarget.Scene experimentPlan(Path dir, boolean json) {
        String text = PLAN_YAML;
        if (json) {
            try {
                text = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(PLAN_YAML));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path plan = Fixtures.write(dir.resolve(json ? "plan.json" : "plan.yaml"), text.getBytes(StandardCharsets.UTF_8)), exp = dir.resolve("exp");
        return new FuzzTarget.Scene(plan, experiment(plan, exp), exp, exp.resolve("k8s/collect.yaml"));
    }

    /** experiment.json as `proxynas collect` reads it (the experiment written by the plan above, no task run yet). */
    FuzzTarget.Scene experimentJson(Path dir) {
        Path exp = copy(experiment(), dir.resolve("exp"));
        return new FuzzTarget.Scene(exp.resolve("experiment.json"), List.of("collect", exp.toString()), null, exp.resolve("summary.json"));
    }

    static List<String> benchmark(Path out) {
        return List.of("benchmark", "--oracle", "synthetic", "--queries", "12", "--seeds", "0..1", "--methods", "random,pvll-lstm",
                "--threads", "1", "--warmup-samples", "6", "--memory", "10", "--regressor-warmup", "5", "--regressor-epochs", "3",
                "--out", out.toString());
    }

    /**
     * A benchmark directory as a rerun finds it after a kill between its last unit and its summary: the unit files,
     * timings and config.json, no summary or report. The rerun must rebuild them from the (damaged) files.
     */
    FuzzTarget.Scene benchmarkResume(Path dir, String file) {
        Path run = copy(benchmarkRun(), dir.resolve("bench"));
        for (String f : List.of("summary.json", "results.jsonl", "timing.json", "report.html")) {
            try {
                Files.deleteIfExists(run.resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new FuzzTarget.Scene(run.resolve(file), benchmark(run), null, run.resolve("summary.json"));
    }

    static final String NB301_GENOTYPES = "# fuzz seed: text, JSON, a blank line, text\n" + Genotypes.resolve("DARTS_V2").toDartsText() + "\n"
            + Genotypes.resolve("PC_DARTS").toJson() + "\n\n" + Genotypes.resolve("PVLL_NAS").toDartsText() + "\n";

    FuzzTarget.Scene nb301Genotypes(Path dir) {
        Path g = Fixtures.write(dir.resolve("genotypes.txt"), NB301_GENOTYPES.getBytes(StandardCharsets.UTF_8));
        return new FuzzTarget.Scene(g, List.of("nb301", "predict", "--genotypes", g.toString(), "--epoch", "50", "--backend", "cpu"), null, null,
                o -> Judges.nb301Predict(o, g));
    }

    /** The surrogate shipped in the jar, given with --model: a damaged model must be refused naming the file. */
    FuzzTarget.Scene nb301Model(Path dir) {
        Path m = Fixtures.write(dir.resolve("model.onnx"), nb301Model());
        Path g = Fixtures.write(dir.resolve("genotypes.txt"), (Genotypes.resolve("DARTS_V2").toDartsText() + "\n"
                + Genotypes.resolve("PC_DARTS").toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        return new FuzzTarget.Scene(m, List.of("nb301", "predict", "--genotypes", g.toString(), "--model", m.toString(), "--backend", "cpu"),
                null, null, o -> Judges.nb301Model(o, g, m));
    }

    // ---- made once -----------------------------------------------------------------------------------------

    private synchronized byte[] nb301Model() {
        if (nb301Model == null) {
            try (java.io.InputStream in = Scenes.class.getResourceAsStream(org.proxynas.nb301.Nb301Surrogate.MODEL_RESOURCE)) {
                nb301Model = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return nb301Model;
    }

    private synchronized Path benchmarkRun() {
        if (benchmarkRun == null) benchmarkRun = ok(benchmark(base.resolve("benchmark")), base.resolve("benchmark"));
        return benchmarkRun;
    }

    private synchronized Path experiment() {
        if (experiment == null) {
            Path plan = Fixtures.write(base.resolve("plan.yaml"), PLAN_YAML.getBytes(StandardCharsets.UTF_8));
            experiment = ok(experiment(plan, base.resolve("experiment")), base.resolve("experiment"));
        }
        return experiment;
    }

    private synchronized Path searchRun() {
        if (searchRun == null) searchRun = ok(search(base.resolve("search-run")), base.resolve("search-run"));
        return searchRun;
    }

    private synchronized Path trainRun() {
        if (trainRun == null) {
            Path d = Fixtures.fashionMnist(base.resolve("train-data"), 8, 4);
            trainRun = ok(train(d, "fashion-mnist", "DARTS_V2", base.resolve("train-run")), base.resolve("train-run"));
        }
        return trainRun;
    }

    private synchronized Path gae() {
        if (gae == null) {
            gae = base.resolve("gae.bin");
            ok(List.of("pretrain-gae", "--archs", "8", "--val-archs", "2", "--epochs", "1", "--threads", "1", "--backend", "cpu",
                    "--out", gae.toString()), gae);
        }
        return gae;
    }

    private synchronized Path bench() {
        if (bench == null) {
            bench = base.resolve("bench");
            for (String b : List.of("16", "32")) {
                ok(List.of("bench", "--backend", "cpu", "--threads", "1", "--image-size", "8", "--batch", b, "--modes", "single",
                        "--phases", "train_step", "--warmup", "0", "--iters", "1", "--out", bench.resolve("b" + b + ".json").toString()), bench);
            }
        }
        return bench;
    }

    private static Path ok(List<String> args, Path made) {
        Cli.Outcome o = Cli.run(args);
        assertEquals(0, o.code(), "fuzz fixture " + args + ": " + o.all());
        return made;
    }

    // ---- files ---------------------------------------------------------------------------------------------

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().equals(".proxynas.lock")) continue;
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
