package org.proxynas.nb301;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.RandomArchitectures;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the shipped NB301 surrogate with ONNX Runtime (Java API 1.22.0, CPU) on 516 random genotypes (seed 301) and
 * the four built-in genotypes, compares the project's interpreter on the CPU backend with it, and writes the golden
 * file the default test {@link Nb301GoldenTest} reads. Only in the {@code nb301-ort} Maven profile (ONNX Runtime
 * is never a main dependency). Regenerate with:
 *
 * <pre>
 * ./mvnw -B -ntp -P nb301-ort -Dproxynas.skipNative=true -Dtest=Nb301OrtGolden -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnb301.golden.out=$PWD/tests/resources/org/proxynas/nb301/ort-golden.tsv test
 * </pre>
 *
 * Without {@code -Dnb301.golden.out} it only compares and prints the largest differences.
 */
class Nb301OrtGolden {
    static final double[] EPOCHS = {1, 25, 50, 98, 7.5, 63.25, 97.9};

    @Test
    void ortAgreesWithTheInterpreterAndWritesGoldenValues() throws Exception {
        List<Genotype> genotypes = new ArrayList<>(Genotypes.builtins().values());
        List<Double> epochs = new ArrayList<>();
        List<Genotype> rowsG = new ArrayList<>();
        for (Genotype g : genotypes) for (double e : EPOCHS) { rowsG.add(g); epochs.add(e); }
        Rng rng = new Rng(301);
        for (int i = 0; i < 516; i++) {
            rowsG.add(RandomArchitectures.genotype(rng));
            epochs.add(EPOCHS[i % EPOCHS.length]);
        }
        int n = rowsG.size();
        int[][] cat = new int[n][];
        float[][] cont = new float[n][1];
        for (int i = 0; i < n; i++) {
            cat[i] = Nb301Encoding.encode(rowsG.get(i));
            cont[i][0] = (float) (double) epochs.get(i);
        }
        byte[] model;
        try (InputStream in = Nb301Surrogate.class.getResourceAsStream(Nb301Surrogate.MODEL_RESOURCE)) {
            model = in.readAllBytes();
        }
        float[][] ort;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opt = new OrtSession.SessionOptions()) {
            opt.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opt);
                 OnnxTensor xCat = OnnxTensor.createTensor(env, cat);
                 OnnxTensor xCont = OnnxTensor.createTensor(env, cont);
                 OrtSession.Result r = session.run(Map.of("x_cat", xCat, "x_cont", xCont))) {
                ort = (float[][]) r.get(0).getValue();
            }
        }
        double[] maxDiff = new double[4];
        double[] maxRel = new double[4];
        List<Nb301GoldenFile.Row> rows = new ArrayList<>();
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
            for (int i = 0; i < n; i++) {
                Prediction p = s.predict(List.of(rowsG.get(i)), epochs.get(i))[0];
                double[] mine = {p.accuracy(), p.crossEntropy(), p.runtimeSeconds(), p.runtimeIncrease()};
                for (int c = 0; c < 4; c++) {
                    double d = Math.abs(mine[c] - ort[i][c]);
                    maxDiff[c] = Math.max(maxDiff[c], d);
                    maxRel[c] = Math.max(maxRel[c], d / Math.abs(ort[i][c]));
                }
                rows.add(new Nb301GoldenFile.Row(epochs.get(i), rowsG.get(i), ort[i]));
            }
        }
        System.out.printf("NB301 interpreter vs ONNX Runtime 1.22.0 over %d rows: max |diff| per column %s, max relative %s%n",
                n, java.util.Arrays.toString(maxDiff), java.util.Arrays.toString(maxRel));
        assertTrue(maxDiff[0] <= 1e-5 && maxDiff[1] <= 1e-5 && maxRel[2] <= 1e-5 && maxRel[3] <= 1e-5,
                "interpreter disagrees with ONNX Runtime beyond the golden test's tolerances");
        String out = System.getProperty("nb301.golden.out");
        if (out != null) {
            Path target = Path.of(out);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, Nb301GoldenFile.format(rows,
                    "# NB301 surrogate (model_v2.onnx) outputs computed by ONNX Runtime 1.22.0 (Java, CPU, 1 thread).\n"
                            + "# Regenerate: see tests-ort/org/proxynas/nb301/Nb301OrtGolden.java.\n"
                            + "# epoch\tnormal\treduce\taccuracy\tcross_entropy\truntime_s\truntime_increase\n"),
                    StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("wrote " + n + " rows to " + target);
        }
    }
}
