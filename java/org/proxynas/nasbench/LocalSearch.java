package org.proxynas.nasbench;

import java.util.List;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.RandomArchitectures;

/**
 * Local search as NASLib runs it: start from the best of {@code initial} random genotypes, query the neighbours
 * ({@link Neighbourhood}) in random order, move to the first one that improves on the current centre, and at a
 * local optimum (no neighbour better) restart from the best of {@code initial} fresh random genotypes.
 */
public final class LocalSearch implements Strategy {
    private final int initial;

    public LocalSearch(int initial) {
        if (initial < 1) throw new IllegalArgumentException("initial must be >= 1, got " + initial);
        this.initial = initial;
    }

    @Override
    public void run(QuerySession session, Rng rng) {
        while (true) {
            Genotype centre = null;
            double centreAcc = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < initial; i++) {
                Genotype g = RandomArchitectures.genotype(rng);
                double a = session.query(g);
                if (a > centreAcc) { centre = g; centreAcc = a; }
            }
            boolean improved = true;
            while (improved) {
                improved = false;
                List<Genotype> nbrs = Neighbourhood.of(centre);
                int[] order = new int[nbrs.size()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                rng.shuffle(order);
                for (int i : order) {
                    double a = session.query(nbrs.get(i));
                    if (a > centreAcc) {
                        centre = nbrs.get(i);
                        centreAcc = a;
                        improved = true;
                        break;
                    }
                }
            }
        }
    }
}
