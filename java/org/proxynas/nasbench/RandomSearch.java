package org.proxynas.nasbench;

import org.proxynas.rng.Rng;
import org.proxynas.space.RandomArchitectures;

/** Uniformly random genotypes ({@link RandomArchitectures#genotype}) until the budget is spent. */
public final class RandomSearch implements Strategy {
    @Override
    public void run(QuerySession session, Rng rng) {
        while (true) session.query(RandomArchitectures.genotype(rng));
    }
}
