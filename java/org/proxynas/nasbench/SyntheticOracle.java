package org.proxynas.nasbench;

import java.util.List;
import org.proxynas.rng.Rng;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;

/**
 * A planted landscape for tests, not a benchmark: accuracy = 0.92 + sum over genes of a fixed weight per
 * (cell, node, op, input), plus a small noise term that is a fixed function of the genotype (so a repeated query
 * gets the same answer). The optimum is known in closed form ({@link #optimum()}), so tests can check that a method
 * climbs towards it.
 */
public final class SyntheticOracle implements Oracle {
    private static final double BASE = 0.92, WEIGHT_SCALE = 0.002, NOISE_SCALE = 0.0005;
    private final double[][][][] weight = new double[2][CellTopology.NODES][Primitive.COUNT][CellTopology.STATES];
    private final long seed;

    public SyntheticOracle(long seed) {
        this.seed = seed;
        Rng rng = new Rng(seed);
        for (double[][][] c : weight) for (double[][] n : c) for (double[] o : n) for (int i = 0; i < o.length; i++) o[i] = WEIGHT_SCALE * rng.nextGaussian();
    }

    @Override public String name() { return "synthetic"; }

    @Override
    public double[] accuracy(List<Genotype> genotypes) {
        double[] out = new double[genotypes.size()];
        for (int i = 0; i < out.length; i++) out[i] = accuracy(genotypes.get(i));
        return out;
    }

    // String hash codes are fixed by the language; record hash codes over enums vary between JVM runs.
    private double accuracy(Genotype g) {
        Genotype key = Canonical.of(g);
        double a = BASE;
        for (CellType cell : CellType.values()) {
            for (int slot = 0; slot < Genotype.GENES_PER_CELL; slot++) {
                Gene gene = key.gene(cell, slot);
                a += weight[cell.ordinal()][Genotype.nodeOfSlot(slot)][gene.op().ordinal()][gene.input()];
            }
        }
        return a + NOISE_SCALE * new Rng(seed ^ Canonical.text(key).hashCode() * 0x9E3779B97F4A7C15L).nextGaussian();
    }

    /** The noise-free maximum: per node, the best two distinct inputs with their best ops. */
    public double optimum() {
        double a = BASE;
        for (int c = 0; c < 2; c++) {
            for (int node = 0; node < CellTopology.NODES; node++) {
                double best = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
                for (int in = 0; in < CellTopology.inputsOf(node); in++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (Primitive p : Primitive.nonNone()) m = Math.max(m, weight[c][node][p.ordinal()][in]);
                    if (m > best) { second = best; best = m; } else if (m > second) second = m;
                }
                a += best + second;
            }
        }
        return a;
    }
}
