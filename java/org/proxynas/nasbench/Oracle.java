package org.proxynas.nasbench;

import java.util.List;
import org.proxynas.space.Genotype;

/**
 * A source of labels for the benchmark: the validation accuracy (a fraction in [0, 1]) of each genotype, in input
 * order. Deterministic: the same genotype always gets the same answer. One instance is used by one thread at a time.
 */
public interface Oracle extends AutoCloseable {
    /** Short name written into results ("nb301", "synthetic"). */
    String name();

    /** Validation accuracy of each genotype, input order. */
    double[] accuracy(List<Genotype> genotypes);

    @Override
    default void close() {}
}
