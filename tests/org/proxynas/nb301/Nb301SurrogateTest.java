package org.proxynas.nb301;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.RandomArchitectures;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Nb301SurrogateTest {
    @TempDir Path tmp;

    private static List<Genotype> random(int n, long seed) {
        Rng rng = new Rng(seed);
        List<Genotype> gs = new ArrayList<>();
        for (int i = 0; i < n; i++) gs.add(RandomArchitectures.genotype(rng));
        return gs;
    }

    @Test
    void epochOutsideTheFidelityRangeIsRejected() {
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
            for (double bad : new double[]{0.5, 98.5, Double.NaN, Double.POSITIVE_INFINITY}) {
                var e = assertThrows(IllegalArgumentException.class, () -> s.predictAccuracy(List.of(Genotypes.DARTS_V2), bad));
                assertTrue(e.getMessage().contains("epoch must be in [1.0, 98.0]"), e.getMessage());
            }
            assertEquals(0, s.predict(List.of(), 98).length);
        }
    }

    @Test
    void anUnrepresentableGenotypeIsNamedByItsIndex() {
        Genotype bad = Genotypes.DARTS_V2.withGene(CellType.REDUCE, 7, Gene.of("sep_conv_3x3", 2));
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> s.predictAccuracy(List.of(Genotypes.DARTS_V1, bad), 98));
            assertTrue(e.getMessage().startsWith("genotype 1: reduce cell, node 3"), e.getMessage());
        }
    }

    /** Accuracy rises with training epochs for the built-ins (a property of NB301's learning curves). */
    @Test
    void accuracyGrowsWithEpochs() {
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
            List<Genotype> gs = List.copyOf(Genotypes.builtins().values());
            double[] early = s.predictAccuracy(gs, 5), late = s.predictAccuracy(gs, 98);
            for (int i = 0; i < gs.size(); i++) {
                assertTrue(late[i] > early[i] + 0.05 && late[i] < 1, i + ": " + early[i] + " -> " + late[i]);
            }
        }
    }

    /**
     * One instance per thread (the intended parallel use) and one instance shared by threads (calls serialised)
     * both give exactly the sequential results: each row's sums do not depend on the batch or the thread.
     */
    @Test
    void parallelUseGivesTheSequentialResults() throws Exception {
        List<List<Genotype>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) work.add(random(20, 100 + t));
        double[][] sequential = new double[4][];
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
            for (int t = 0; t < 4; t++) sequential[t] = s.predictAccuracy(work.get(t), 60);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (CpuBackend sharedCpu = new CpuBackend(1); Nb301Surrogate shared = Nb301Surrogate.load(sharedCpu)) {
            List<Future<double[]>> own = new ArrayList<>(), viaShared = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Genotype> gs = work.get(t);
                own.add(pool.submit(() -> {
                    try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate s = Nb301Surrogate.load(cpu)) {
                        double[] out = new double[gs.size()];
                        for (int i = 0; i < gs.size(); i++) out[i] = s.predictAccuracy(List.of(gs.get(i)), 60)[0];
                        return out;
                    }
                }));
                viaShared.add(pool.submit(() -> shared.predictAccuracy(gs, 60)));
            }
            for (int t = 0; t < 4; t++) {
                assertArrayEquals(sequential[t], own.get(t).get(), 0.0, "own instance, thread " + t);
                assertArrayEquals(sequential[t], viaShared.get(t).get(), 0.0, "shared instance, thread " + t);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void loadsTheSameModelFromAFileAndRejectsOtherModels() throws Exception {
        Path file = tmp.resolve("model.onnx");
        try (InputStream in = Nb301Surrogate.class.getResourceAsStream(Nb301Surrogate.MODEL_RESOURCE)) {
            Files.write(file, in.readAllBytes());
        }
        List<Genotype> gs = random(8, 5);
        try (CpuBackend cpu = new CpuBackend(1); Nb301Surrogate a = Nb301Surrogate.load(cpu);
             Nb301Surrogate b = Nb301Surrogate.load(cpu, file)) {
            assertArrayEquals(a.predictAccuracy(gs, 33.3), b.predictAccuracy(gs, 33.3), 0.0);
        }
        Path other = Files.write(tmp.resolve("other.onnx"), org.proxynas.onnx.OnnxTestModels.small());
        try (CpuBackend cpu = new CpuBackend(1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> Nb301Surrogate.load(cpu, other));
            assertTrue(e.getMessage().contains("other.onnx") && e.getMessage().contains("not an NB301 surrogate"), e.getMessage());
        }
    }
}
