package org.proxynas.proxy;

import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.space.ArchParams;
import org.proxynas.space.RelaxedArch;

/**
 * The proxy validation loss landscape L̂_θ(Ã) of docs/method.md#proxy: a differentiable regressor from a relaxed
 * architecture encoding (224 floats: the 28×8 sequence cat(Ã_normal, Ã_reduce) of
 * {@link RelaxedArch#encoding()}) to a predicted validation loss ŷ = 2·sigmoid(·) in (0, 2).
 * Implementations: {@link LstmRegressor}, {@link GaeRegressor}, {@link RidgeRegressor}. Not thread-safe.
 */
public interface Regressor {

    /** Short name stored in files and logs: "lstm", "gae" or "ridge". */
    String kind();

    /**
     * True when {@link #trainStep} replaces the model by the exact fit to the batch it is given (no optimiser state):
     * {@link RegressorTrainer} then fits once on the whole memory instead of running epochs of mini-batches.
     */
    default boolean fitsExactly() { return false; }

    /** ŷ for each encoding (inference mode: no dropout; see each implementation for BatchNorm). */
    double[] predict(float[][] encodings);

    /** ŷ for one encoding. */
    default double predict(float[] encoding) { return predict(new float[][] {encoding})[0]; }

    /**
     * One optimiser step on a mini-batch: computes the training loss (MSE, or the weighted loss, plus the GAE's
     * reconstruction term), its parameter gradients, and one Adam update. Returns the loss before the update.
     */
    double trainStep(float[][] encodings, double[] labels);

    /**
     * The architecture gradient of docs/method.md#proxy: for J(α) = ŷ(Ã(α; g))², returns ŷ and dJ/dα through the
     * Gumbel relaxation that produced {@code arch} (LSTM: through every entry of Ã; GAE: only through the edge
     * weights max_k Ã[e,k]). The regressor's parameters and their gradients are not changed.
     */
    AlphaGradient alphaGradient(RelaxedArch arch);

    /** Writes parameters, buffers and optimiser state (atomically). */
    void save(Path file) throws IOException;

    /**
     * Restores what {@link #save} wrote. A foreign, corrupt or mismatched file throws a {@link ProxyFileException}
     * naming the file, and leaves this regressor unchanged.
     */
    void load(Path file) throws IOException;

    /** ŷ and dJ/dα (J = ŷ², {@link ArchParams} layout, in double). */
    record AlphaGradient(double prediction, double[] gradient) {
        public AlphaGradient {
            if (gradient.length != ArchParams.SIZE) {
                throw new IllegalArgumentException("gradient must have " + ArchParams.SIZE + " entries, got " + gradient.length);
            }
        }

        /** J = ŷ². */
        public double objective() { return prediction * prediction; }

        /** The gradient as float {@link ArchParams} (the layout OIW and the α optimiser use). */
        public ArchParams asArchParams() {
            float[] f = new float[gradient.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) gradient[i];
            return ArchParams.fromFlat(f);
        }
    }
}
