package org.proxynas.space;

import java.util.ArrayList;
import java.util.List;
import org.proxynas.rng.Rng;

/** Random architectures: uniform genotypes (random-search baseline, EA seeds) and random α (GAE pretraining). */
public final class RandomArchitectures {
    private RandomArchitectures() {}

    /**
     * A uniformly random genotype: for each cell (normal, then reduce) and node i, two distinct inputs drawn
     * uniformly from the 2+i states (first, then second among the rest) and for each an op drawn uniformly from the
     * 7 non-none ops. Concat [2, 3, 4, 5].
     */
    public static Genotype genotype(Rng rng) {
        return Genotype.of(cell(rng), cell(rng));
    }

    private static List<Gene> cell(Rng rng) {
        List<Primitive> ops = Primitive.nonNone();
        List<Gene> genes = new ArrayList<>(Genotype.GENES_PER_CELL);
        for (int node = 0; node < CellTopology.NODES; node++) {
            int n = CellTopology.inputsOf(node);
            int a = rng.nextInt(n);
            int b = rng.nextInt(n - 1);
            if (b >= a) b++;
            genes.add(new Gene(ops.get(rng.nextInt(ops.size())), a));
            genes.add(new Gene(ops.get(rng.nextInt(ops.size())), b));
        }
        return genes;
    }

    /** α with every entry N(0,1) (the GAE pretraining distribution, docs/method.md#gae). */
    public static ArchParams alpha(Rng rng) { return ArchParams.gaussian(rng, 1.0); }
}
