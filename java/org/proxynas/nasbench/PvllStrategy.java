package org.proxynas.nasbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.proxynas.proxy.AdamConfig;
import org.proxynas.proxy.ArchMemory;
import org.proxynas.proxy.ArchitectureStep;
import org.proxynas.proxy.GaeConfig;
import org.proxynas.proxy.GaeRegressor;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.proxy.Oiw;
import org.proxynas.proxy.OiwMode;
import org.proxynas.proxy.Regressor;
import org.proxynas.proxy.RegressorTrainer;
import org.proxynas.proxy.RidgeRegressor;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Derivation;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.Relaxation;
import org.proxynas.space.RelaxedArch;
import org.proxynas.tensor.Backend;

/**
 * PVLL-NAS with the oracle in place of the supernet: every sample is a Gumbel-perturbed relaxed architecture
 * Ã = softmax((α + g·s)/τ) whose DARTS derivation is queried; the memory holds (encoding, label); the regressor is
 * refitted (warm-started) after each sample; α takes one Adam step down the regressor's landscape with the sample's
 * noise; OIW rescales later noise. The evolutionary variant keeps a population of (α, noise) and steps a copy of the
 * best. The derivation of the final α is one more query, inside the budget. Uses the project's proxy classes
 * unchanged; one CPU backend per run.
 */
public final class PvllStrategy implements Strategy {
    private record Individual(ArchParams alpha, GumbelNoise noise, float[] encoding, double label) {}

    private final PvllSettings s;
    private final Backend backend;
    private long fitNanos;
    private int fits, fitEpochs;

    public PvllStrategy(PvllSettings settings, Backend backend) {
        this.s = settings;
        this.backend = backend;
    }

    @Override
    public void run(QuerySession session, Rng rng) {
        Rng noiseRng = rng.split(), regressorRng = rng.split(), initRng = rng.split();
        ArchParams alpha = ArchParams.init(rng.split());
        Relaxation relaxation = new Relaxation(s.temperature());
        Regressor regressor = regressor(s.regressor(), s.gaeHidden(), backend, initRng);
        RegressorTrainer trainer = new RegressorTrainer(regressor, regressorRng,
                new RegressorTrainer.Config(64, s.regressorEpochs(), RegressorTrainer.StopRule.KENDALL, s.tauStop()));
        ArchitectureStep step = new ArchitectureStep(new AdamConfig(s.alphaLr(), 0.5, 0.999, 1e-8, s.alphaWeightDecay()));
        Oiw oiw = new Oiw(OiwMode.MEAN);

        List<Individual> warm = new ArrayList<>();
        double[] warmAcc = new double[s.warmup()];
        for (int i = 0; i < s.warmup(); i++) {
            GumbelNoise g = GumbelNoise.draw(noiseRng);
            RelaxedArch r = relaxation.relax(alpha, g);
            Genotype geno = derive(r);
            warmAcc[i] = session.query(geno);
            warm.add(new Individual(alpha.copy(), g, encode(r, geno), Double.NaN));
        }
        Labels labels = Labels.fit(s.label(), warmAcc);
        List<Individual> members = new ArrayList<>();
        for (int i = 0; i < warm.size(); i++) {
            Individual w = warm.get(i);
            add(members, new Individual(w.alpha(), w.noise(), w.encoding(), labels.of(warmAcc[i])));
        }
        fit(trainer, members, s.regressorWarmupEpochs());

        while (session.remaining() > 1 && !session.isSpent()) {
            ArchParams scale = oiw.updates() > 0 ? oiw.scale() : null;
            GumbelNoise g = GumbelNoise.draw(noiseRng);
            RelaxedArch r = relaxation.relax(alpha, g, scale);
            Genotype geno = derive(r);
            float[] enc = encode(r, geno);
            double predicted = regressor.predict(enc);
            int before = session.used();
            double acc = session.query(geno);
            double label = labels.of(acc);
            if (session.used() > before) session.annotateLast(predicted, label);
            add(members, new Individual(alpha.copy(), g, enc, label));
            fit(trainer, members, s.regressorEpochs());
            GumbelNoise stepNoise = g;
            if (s.evolve()) {
                Individual best = members.getFirst();
                for (Individual m : members) if (m.label() < best.label()) best = m;
                alpha = best.alpha().copy();
                stepNoise = best.noise();
            }
            ArchitectureStep.Result res = step.step(alpha, stepNoise, scale, relaxation, regressor);
            if (!Double.isFinite(res.prediction())) throw new IllegalStateException("PVLL: the proxy prediction is " + res.prediction());
            if (s.oiw()) oiw.update(res.gradient());
        }
        session.query(Derivation.derive(alpha));
    }

    /**
     * The differentiable form keeps a FIFO memory (oldest out); the evolutionary form a population (worst out),
     * both of {@link PvllSettings#memory()} entries.
     */
    private void add(List<Individual> members, Individual i) {
        members.add(i);
        if (members.size() <= s.memory()) return;
        int out = 0;
        if (s.evolve()) for (int j = 1; j < members.size(); j++) if (members.get(j).label() > members.get(out).label()) out = j;
        members.remove(out);
    }

    private void fit(RegressorTrainer trainer, List<Individual> members, int epochs) {
        if (epochs == 0) return;
        ArchMemory m = new ArchMemory(members.size());
        for (Individual i : members) m.add(i.encoding(), i.label());
        long t0 = System.nanoTime();
        fitEpochs += trainer.fit(m, epochs).epochs();
        fitNanos += System.nanoTime() - t0;
        fits++;
    }

    /** A fresh regressor of the given kind (the GAE at the given width, not pretrained). */
    static Regressor regressor(PvllSettings.Proxy proxy, int gaeHidden, Backend backend, Rng initRng) {
        return switch (proxy) {
            case LSTM -> new LstmRegressor(backend, initRng);
            case GAE -> new GaeRegressor(backend, initRng, GaeConfig.defaults().withSizes(gaeHidden, gaeHidden));
            case RIDGE -> new RidgeRegressor(backend);
        };
    }

    /** The DARTS derivation of a relaxed sample (top-2 non-none edges per node, argmax non-none op). */
    static Genotype derive(RelaxedArch r) { return Derivation.derive(ArchParams.fromFlat(r.encoding())); }

    private float[] encode(RelaxedArch r, Genotype g) {
        return s.store() == PvllSettings.Store.RELAXED ? r.encoding() : oneHot(g);
    }

    /** The genotype as a relaxed encoding: each kept edge one-hot on its op, every other edge one-hot on none. */
    static float[] oneHot(Genotype g) {
        float[] out = new float[ArchParams.SIZE];
        for (CellType cell : CellType.values()) {
            boolean[] kept = new boolean[ArchParams.ROWS];
            for (int slot = 0; slot < Genotype.GENES_PER_CELL; slot++) {
                Gene gene = g.gene(cell, slot);
                int e = CellTopology.edgeIndex(Genotype.nodeOfSlot(slot), gene.input());
                kept[e] = true;
                out[ArchParams.index(cell, e, gene.op().ordinal())] = 1f;
            }
            for (int e = 0; e < ArchParams.ROWS; e++) if (!kept[e]) out[ArchParams.index(cell, e, 0)] = 1f;
        }
        return out;
    }

    /** Regressor fits of the last run: count, epochs and seconds (timing only, not part of the results). */
    public Map<String, Object> fitStats() {
        return Map.of("fits", fits, "fit_epochs", fitEpochs, "fit_seconds", fitNanos / 1e9);
    }

    /** The label map, fixed before the first fit. */
    record Labels(PvllSettings.Label kind, double mean, double sd) {
        static Labels fit(PvllSettings.Label kind, double[] warmAcc) {
            double mean = 0, sq = 0;
            for (double a : warmAcc) mean += 1 - a;
            mean /= warmAcc.length;
            for (double a : warmAcc) sq += (1 - a - mean) * (1 - a - mean);
            double sd = Math.sqrt(sq / Math.max(1, warmAcc.length - 1));
            return new Labels(kind, mean, sd > 0 ? sd : 1);
        }

        double of(double accuracy) {
            double err = 1 - accuracy;
            if (kind == PvllSettings.Label.ERROR_PERCENT_OVER_10) return err * 10;
            return Math.clamp(1 + (err - mean) / sd / 4, 0.02, 1.98);
        }
    }
}
