package org.proxynas.search;

import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.space.Genotype;
import org.proxynas.space.RandomArchitectures;
import org.proxynas.space.SampledPath;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.IntConsumer;

/**
 * The supernet as a judge of genotypes: a trained supernet scores each candidate as a held-out path is scored (from a
 * snapshot: trained on the genotype's path for one sample at the run's final learning rate, validated, snapshot
 * restored), and each candidate's loss is ranked among those of random genotypes. The supernet is either a search
 * run's final one (its checkpoint, optimiser state included) or a supernet.bin (weights and BN statistics; the
 * optimiser starts without momentum), such as the warmed supernet every search of a seed started from: that one
 * judges all methods alike, since none of them trained it.
 */
public final class SupernetJudge {
    /** A candidate's validation loss and how many of the random genotypes scored lower (0 = better than all). */
    public record Verdict(String name, String genotype, double loss, int randomBetter, int randomCount) {
        /** Fraction of random genotypes that scored at least as badly (1 = best of all). */
        public double quantile() { return 1.0 - (double) randomBetter / randomCount; }

        public boolean topQuartile() { return randomBetter < randomCount / 4.0; }
    }

    /**
     * @param supernet where the judging weights came from (a checkpoint or a supernet.bin path)
     * @param randomGenotypes the random genotypes (DARTS text), in the order of randomLosses
     */
    public record Result(String supernet, List<Verdict> verdicts, List<String> randomGenotypes, double[] randomLosses, float lr) {}

    /** Losses already measured, by genotype (DARTS text), and where new ones go: how a stopped judge resumes. */
    public interface Memo {
        OptionalDouble get(String genotype);

        void put(String genotype, double loss);
    }

    private final SearchSetup setup;
    private final String source;

    private SupernetJudge(SearchSetup setup, String source) {
        this.setup = setup;
        this.source = source;
    }

    /** Judges with a search run's final supernet: weights, BN statistics and optimiser state from its checkpoint. */
    public static SupernetJudge ofRun(SearchSetup setup, Checkpoint checkpoint, String source) {
        setup.runner().load(checkpoint);
        return new SupernetJudge(setup, source);
    }

    /** Judges with the weights and BN statistics of a supernet.bin, read by {@link SupernetWeights#read}. */
    public static SupernetJudge ofWeights(SearchSetup setup, Checkpoint supernetFile, String source) {
        setup.runner().loadWeights(supernetFile);
        return new SupernetJudge(setup, source);
    }

    /** The learning rate a genotype is trained at: the run's last iteration's. */
    public float lr() { return setup.config().finalLr(); }

    /**
     * Scores randomCount random genotypes (from randomSeed) and the candidates; progress counts both. A genotype the
     * memo already holds is not measured again (every measurement starts from the same snapshot, so it would give
     * the same loss); each new loss goes into the memo.
     */
    public Result judge(List<String> names, List<Genotype> candidates, int randomCount, long randomSeed, IntConsumer progress, Memo memo) {
        SupernetRunner runner = setup.runner();
        float lr = lr();
        WeightSnapshot snapshot = new WeightSnapshot(runner);
        int done = 0;
        double[] random = new double[randomCount];
        List<String> randomGenotypes = new ArrayList<>();
        Rng rng = new Rng(randomSeed);
        for (int i = 0; i < randomCount; i++) {
            Genotype g = RandomArchitectures.genotype(rng);
            randomGenotypes.add(g.toDartsText());
            random[i] = measure(runner, snapshot, g, lr, memo);
            if (progress != null) progress.accept(++done);
        }
        List<Verdict> out = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            double loss = measure(runner, snapshot, candidates.get(c), lr, memo);
            int better = 0;
            for (double r : random) if (r < loss) better++;
            out.add(new Verdict(names.get(c), candidates.get(c).toDartsText(), loss, better, randomCount));
            if (progress != null) progress.accept(++done);
        }
        return new Result(source, out, randomGenotypes, random, lr);
    }

    private static double measure(SupernetRunner runner, WeightSnapshot snapshot, Genotype g, float lr, Memo memo) {
        OptionalDouble known = memo.get(g.toDartsText());
        if (known.isPresent()) return known.getAsDouble();
        SampledPath path = SampledPath.fromGenotype(g);
        runner.trainPath(path, lr, null);
        double loss = runner.validate(path).loss();
        snapshot.restore();
        memo.put(g.toDartsText(), loss);
        return loss;
    }
}
