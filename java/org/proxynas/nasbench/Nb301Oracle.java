package org.proxynas.nasbench;

import java.util.List;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.nb301.Nb301Surrogate;
import org.proxynas.space.Genotype;

/**
 * The NAS-Bench-301 surrogate as the benchmark's oracle: predicted CIFAR-10 validation accuracy after the full
 * {@value Nb301Surrogate#FULL_EPOCH} epochs, on its own single-threaded CPU backend (one instance per worker).
 */
public final class Nb301Oracle implements Oracle {
    private final CpuBackend backend = new CpuBackend(1);
    private final Nb301Surrogate surrogate = Nb301Surrogate.load(backend);

    @Override public String name() { return "nb301"; }

    @Override
    public double[] accuracy(List<Genotype> genotypes) { return surrogate.predictAccuracy(genotypes, Nb301Surrogate.FULL_EPOCH); }

    @Override
    public void close() {
        surrogate.close();
        backend.close();
    }
}
