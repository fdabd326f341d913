package org.proxynas.proxy;

/**
 * Configuration of the GAE proxy (docs/method.md#gae). Defaults are the reference values; the [I] choices are the
 * defaults and the reference behaviour is an option.
 *
 * @param hidden      GIN hidden width (128)
 * @param latent      latent dimension of Z (16)
 * @param ginLayers   message-passing layers (4; the reference's num_layers = 5)
 * @param headHidden  width of the regression head's Linear(2·latent → headHidden) (128)
 * @param dropout     decoder dropout on Z (0.3)
 * @param reconWeight weight of L_rec,normal + L_rec,reduce in the search-time loss (0.8)
 * @param loss        supervised loss (MSE)
 * @param adam        regressor optimiser (lr 1e-3, betas (0.5, 0.999))
 * @param inferenceBn BatchNorm during prediction and the α gradient: EVAL (running statistics) (docs/method.md#deviations), or
 *                    TRAIN (statistics of the graphs in the call, as the reference, which stays in train mode)
 * @param fineTune    ALL parameters trained during search (docs/method.md#deviations) (commit e2770d5), or HEAD_ONLY (commit 214368c)
 */
public record GaeConfig(int hidden, int latent, int ginLayers, int headHidden, double dropout, double reconWeight,
                        RegressionLoss loss, AdamConfig adam, BnMode inferenceBn, FineTune fineTune) {

    /** BatchNorm mode for inference (predictions and the α gradient). */
    public enum BnMode { EVAL, TRAIN }

    /** Which parameters a search-time training step updates. */
    public enum FineTune { ALL, HEAD_ONLY }

    public static GaeConfig defaults() {
        return new GaeConfig(128, 16, 4, 128, 0.3, 0.8, RegressionLoss.MSE, AdamConfig.regressorDefault(), BnMode.EVAL,
                FineTune.ALL);
    }

    /** Small widths for tests and quick runs; everything else default. */
    public static GaeConfig small(int hidden, int headHidden) { return defaults().withSizes(hidden, headHidden); }

    public GaeConfig {
        if (hidden < 1 || latent < 1 || ginLayers < 1 || headHidden < 1) {
            throw new IllegalArgumentException("GAE sizes must be >= 1: hidden " + hidden + ", latent " + latent
                    + ", layers " + ginLayers + ", head " + headHidden);
        }
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("GAE dropout must be in [0, 1), got " + dropout);
        if (!(reconWeight >= 0) || Double.isInfinite(reconWeight)) {
            throw new IllegalArgumentException("reconstruction weight must be >= 0, got " + reconWeight);
        }
        if (loss == null || adam == null || inferenceBn == null || fineTune == null) {
            throw new IllegalArgumentException("GAE config fields must not be null");
        }
    }

    public GaeConfig withSizes(int newHidden, int newHeadHidden) {
        return new GaeConfig(newHidden, latent, ginLayers, newHeadHidden, dropout, reconWeight, loss, adam, inferenceBn, fineTune);
    }

    public GaeConfig withInferenceBn(BnMode mode) {
        return new GaeConfig(hidden, latent, ginLayers, headHidden, dropout, reconWeight, loss, adam, mode, fineTune);
    }

    public GaeConfig withFineTune(FineTune mode) {
        return new GaeConfig(hidden, latent, ginLayers, headHidden, dropout, reconWeight, loss, adam, inferenceBn, mode);
    }

    public GaeConfig withLoss(RegressionLoss l) {
        return new GaeConfig(hidden, latent, ginLayers, headHidden, dropout, reconWeight, l, adam, inferenceBn, fineTune);
    }

    public GaeConfig withAdam(AdamConfig a) {
        return new GaeConfig(hidden, latent, ginLayers, headHidden, dropout, reconWeight, loss, a, inferenceBn, fineTune);
    }

    public GaeConfig withDropout(double p) {
        return new GaeConfig(hidden, latent, ginLayers, headHidden, p, reconWeight, loss, adam, inferenceBn, fineTune);
    }
}
