package org.proxynas.nasbench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.Mutation;
import org.proxynas.space.RandomArchitectures;

/**
 * Regularized evolution (Real et al. 2019), with NAS-Bench-301's baseline settings: a population of
 * {@code population} random genotypes, then repeatedly a tournament of {@code sample} members drawn uniformly
 * (with replacement, as the reference implementation), the best one mutated ({@link Mutation#mutate}: one gene's
 * op or input), the child added and the oldest member removed.
 */
public final class RegularizedEvolution implements Strategy {
    private record Member(Genotype genotype, double accuracy) {}

    private final int population, sample;

    public RegularizedEvolution(int population, int sample) {
        if (population < 1 || sample < 1) throw new IllegalArgumentException("population and sample must be >= 1, got " + population + ", " + sample);
        this.population = population;
        this.sample = sample;
    }

    @Override
    public void run(QuerySession session, Rng rng) {
        ArrayDeque<Member> pop = new ArrayDeque<>();
        while (pop.size() < population) {
            Genotype g = RandomArchitectures.genotype(rng);
            pop.addLast(new Member(g, session.query(g)));
        }
        while (true) {
            List<Member> members = new ArrayList<>(pop);
            Member parent = null;
            for (int i = 0; i < sample; i++) {
                Member m = members.get(rng.nextInt(members.size()));
                if (parent == null || m.accuracy() > parent.accuracy()) parent = m;
            }
            Genotype child = Mutation.mutate(parent.genotype(), rng);
            pop.addLast(new Member(child, session.query(child)));
            pop.pollFirst();
        }
    }
}
