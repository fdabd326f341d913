package org.proxynas.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.proxynas.nb301.Nb301Surrogate;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.RandomArchitectures;

/**
 * One NAS-Bench-301 surrogate query: {@code batch} random genotypes (1: a search asking one at a time; 256: a
 * population) predicted at full fidelity, encoding included. Time per call; divide by batch for per-genotype cost.
 * Backend from {@link BackendState} ({@code -p threads=1} for a single CPU thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class Nb301Bench {
    @Param({"1", "256"}) public int batch;

    private Nb301Surrogate surrogate;
    private List<Genotype> genotypes;

    @Setup(Level.Trial)
    public void setup(BackendState s) {
        surrogate = Nb301Surrogate.load(s.b);
        Rng rng = new Rng(301);
        genotypes = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) genotypes.add(RandomArchitectures.genotype(rng));
    }

    @TearDown(Level.Trial)
    public void close() { surrogate.close(); }

    @Benchmark
    public double[] predict() { return surrogate.predictAccuracy(genotypes, Nb301Surrogate.FULL_EPOCH); }
}
