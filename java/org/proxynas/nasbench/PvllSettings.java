package org.proxynas.nasbench;

/**
 * PVLL without the supernet (the oracle answers instead): everything a run needs besides the seed.
 *
 * @param regressor             LSTM, GAE or ridge proxy
 * @param oiw                   operation importance weight on the Gumbel noise
 * @param evolve                the evolutionary variant (population of (alpha, noise), parent = best)
 * @param warmup                P random samples that fill the memory before the first alpha step (paper: 100)
 * @param memory                memory (or population) capacity (paper: 100)
 * @param temperature           Gumbel-softmax temperature (paper: 0.1)
 * @param alphaLr               Adam learning rate of the alpha step (paper: 3e-4)
 * @param alphaWeightDecay      its L2 term (paper: 1e-3)
 * @param regressorWarmupEpochs epochs of the first fit, after the warm-up (paper: 500, Kendall stop)
 * @param regressorEpochs       cap on epochs per later fit, warm-started from the previous fit (paper: 500)
 * @param tauStop               a fit stops once Kendall tau-b on the memory exceeds this (paper: 0.95)
 * @param label                 how an accuracy becomes the regressor's target
 * @param store                 what the memory stores for a sample
 * @param gaeHidden             GIN and head width of the GAE (paper: 128)
 */
public record PvllSettings(Proxy regressor, boolean oiw, boolean evolve, int warmup, int memory, double temperature,
                           double alphaLr, double alphaWeightDecay, int regressorWarmupEpochs, int regressorEpochs,
                           double tauStop, Label label, Store store, int gaeHidden) {

    public enum Proxy { LSTM, GAE, RIDGE }

    /**
     * The regressor's target, lower = better (PVLL minimises the squared prediction). Accuracies on the surrogate
     * sit in about 0.88..0.95, so the raw error would be a tiny target for an output in (0, 2).
     */
    public enum Label {
        /** Validation error in percent divided by 10: 0.5..1.2 on the surrogate; fixed, needs no data. */
        ERROR_PERCENT_OVER_10,
        /** 1 + z/4, z the error standardised by the warm-up samples' mean and spread (fixed after the warm-up). */
        WARMUP_STANDARDISED
    }

    /** What the memory stores for a sample. */
    public enum Store {
        /** The Gumbel-perturbed relaxed architecture the sample was drawn as (the paper). */
        RELAXED,
        /** The one-hot encoding of the derived genotype, i.e. exactly what the oracle scored. */
        DERIVED
    }

    public PvllSettings {
        if (warmup < 2) throw new IllegalArgumentException("PVLL warm-up must be >= 2 samples, got " + warmup);
        if (memory < 2) throw new IllegalArgumentException("PVLL memory must be >= 2, got " + memory);
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (!(alphaLr > 0)) throw new IllegalArgumentException("alpha learning rate must be > 0, got " + alphaLr);
        if (regressorWarmupEpochs < 0 || regressorEpochs < 1) {
            throw new IllegalArgumentException("regressor epochs must be >= 0 (warm-up) and >= 1 (per fit), got "
                    + regressorWarmupEpochs + ", " + regressorEpochs);
        }
    }

    /** The paper's settings (reference train_search.py), with the LSTM, no OIW. */
    public static PvllSettings paper() {
        return new PvllSettings(Proxy.LSTM, false, false, 100, 100, 0.1, 3e-4, 1e-3, 500, 500, 0.95,
                Label.ERROR_PERCENT_OVER_10, Store.RELAXED, 128);
    }

    public PvllSettings with(Proxy p, boolean withOiw, boolean evolutionary) {
        return new PvllSettings(p, withOiw, evolutionary, warmup, memory, temperature, alphaLr, alphaWeightDecay,
                regressorWarmupEpochs, regressorEpochs, tauStop, label, store, gaeHidden);
    }
}
