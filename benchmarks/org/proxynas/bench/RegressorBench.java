package org.proxynas.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.proxynas.proxy.ArchitectureStep;
import org.proxynas.proxy.GaeRegressor;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.proxy.Regressor;
import org.proxynas.proxy.RidgeRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RandomArchitectures;
import org.proxynas.space.Relaxation;

/**
 * The proxy side of a PVLL iteration: the regressor (LSTM, the GAE whose encoder is a stack of GIN layers, or the
 * ridge model, whose {@code trainStep} is a whole exact fit with its leave-one-out penalty search) predicting and
 * training on a batch of relaxed architectures, and one alpha step (Gumbel relaxation, dJ/dalpha
 * through the regressor, Adam). {@code predict} is the regressor's (GIN / LSTM) forward over the batch;
 * {@code trainStep} is forward, backward and the Adam update. Backend from {@link BackendState}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class RegressorBench {
    @Param({"lstm", "gae", "ridge"}) public String regressor;
    /** Architectures per regressor batch (RegressorTrainer's default batch size). */
    @Param({"64"}) public int batch;

    private Regressor model;
    private float[][] encodings;
    private double[] labels;
    private ArchParams alpha;
    private ArchitectureStep alphaStep;
    private final Relaxation relaxation = new Relaxation();
    private final Rng noise = new Rng(4);

    @Setup(Level.Trial)
    public void setup(BackendState s) {
        Rng rng = new Rng(3);
        model = switch (regressor) {
            case "lstm" -> new LstmRegressor(s.b, rng);
            case "gae" -> new GaeRegressor(s.b, rng);
            case "ridge" -> new RidgeRegressor(s.b);
            default -> throw new IllegalArgumentException("-p regressor: expected lstm, gae or ridge, got '" + regressor + "'");
        };
        encodings = new float[batch][];
        labels = new double[batch];
        for (int i = 0; i < batch; i++) {
            encodings[i] = relaxation.relax(RandomArchitectures.alpha(rng), GumbelNoise.draw(rng)).encoding();
            labels[i] = 2 + rng.nextGaussian() * 0.1;
        }
        alpha = ArchParams.init(rng);
        alphaStep = new ArchitectureStep();
    }

    @Benchmark
    public double[] predict(BackendState s) {
        double[] p = model.predict(encodings);
        s.sync();
        return p;
    }

    @Benchmark
    public double trainStep(BackendState s) {
        double loss = model.trainStep(encodings, labels);
        s.sync();
        return loss;
    }

    /** One alpha step of the differentiable PVLL search (alpha drifts across calls, which does not change the work). */
    @Benchmark
    public double alphaStep(BackendState s) {
        double p = alphaStep.step(alpha, GumbelNoise.draw(noise), null, relaxation, model).prediction();
        s.sync();
        return p;
    }
}
