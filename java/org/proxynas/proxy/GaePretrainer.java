package org.proxynas.proxy;

import org.proxynas.nn.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.proxynas.rng.Rng;
import org.proxynas.space.CellType;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RandomArchitectures;
import org.proxynas.space.Relaxation;
import org.proxynas.tensor.Backend;

/**
 * Unsupervised GAE pretraining (docs/method.md#gae, {@code train_extractor.py}): random architectures α ~ N(0,1) per
 * entry, relaxed as Ã = softmax((α + g)/τ) with Gumbel noise g ([I]: the reference builds graphs from raw α; the
 * relaxed matrices match what the search feeds the GAE), default 4000 for training and 1000 for validation.
 * Each architecture contributes its normal and its reduction graph; the loss is L_rec,n + L_rec,r. Adam
 * (lr 1e-3, betas (0.5, 0.999)), batch 64, 100 epochs; validation runs in eval mode (running BatchNorm statistics,
 * no dropout), and the epoch with the lowest validation loss is kept. The result is a file ({@code gae-autoencoder}:
 * encoder and decoder parameters with BatchNorm buffers) that {@link GaeRegressor#loadPretrained} reads.
 */
public final class GaePretrainer {

    /**
     * @param trainSize      training architectures (4000)
     * @param validationSize validation architectures (1000)
     * @param epochs         epochs (100)
     * @param batchSize      architectures per step (64)
     * @param tau            relaxation temperature of the generated samples (0.1)
     * @param adam           optimiser (lr 1e-3, betas (0.5, 0.999), eps 1e-8)
     */
    public record Config(int trainSize, int validationSize, int epochs, int batchSize, double tau, AdamConfig adam) {
        public static Config defaults() { return new Config(4000, 1000, 100, 64, 0.1, AdamConfig.regressorDefault()); }

        public Config {
            if (trainSize < 1 || validationSize < 1 || epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("pretraining sizes must be >= 1: train " + trainSize + ", validation "
                        + validationSize + ", epochs " + epochs + ", batch " + batchSize);
            }
            if (!(tau > 0)) throw new IllegalArgumentException("tau must be > 0, got " + tau);
            if (adam == null) throw new IllegalArgumentException("adam must not be null");
        }
    }

    /** Called after every epoch. */
    @FunctionalInterface
    public interface Listener {
        void epoch(int epoch, int epochs, double trainLoss, double validationLoss, boolean best);
    }

    /**
     * @param bestEpoch          1-based epoch whose parameters were written
     * @param bestValidationLoss its validation L_rec,n + L_rec,r
     * @param trainLoss          mean training loss per epoch
     * @param validationLoss     validation loss per epoch
     */
    public record Result(int bestEpoch, double bestValidationLoss, double[] trainLoss, double[] validationLoss) {}

    private final Backend backend;
    private final GaeConfig modelConfig;
    private final Config config;
    private final Rng rng;

    /** {@code rng} draws the initialisation, the data, the shuffles and the dropout masks. */
    public GaePretrainer(Backend backend, GaeConfig modelConfig, Config config, Rng rng) {
        this.backend = backend;
        this.modelConfig = modelConfig;
        this.config = config;
        this.rng = rng;
    }

    /** Random relaxed architectures as graphs. */
    static List<ArchGraph> randomGraphs(Rng rng, int n, double tau) {
        Relaxation relax = new Relaxation(tau);
        List<ArchGraph> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(ArchGraph.from(relax.relax(RandomArchitectures.alpha(rng), GumbelNoise.draw(rng))));
        return out;
    }

    /** Pretrains and writes the best epoch's autoencoder to {@code output}. */
    public Result run(Path output, Listener listener) throws IOException {
        GaeModel model = new GaeModel(backend, rng.split(), modelConfig);
        Rng data = rng.split();
        List<ArchGraph> train = randomGraphs(data, config.trainSize(), config.tau());
        List<ArchGraph> val = randomGraphs(data, config.validationSize(), config.tau());
        Adam adam = config.adam().over(model.params.params());
        double[] trainLoss = new double[config.epochs()], valLoss = new double[config.epochs()];
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        Map<String, float[]> bestState = null;
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            rng.shuffle(order);
            double sum = 0;
            int steps = 0;
            for (int start = 0; start < order.length; start += config.batchSize()) {
                int b = Math.min(config.batchSize(), order.length - start);
                List<ArchGraph> batch = new ArrayList<>(b);
                for (int i = 0; i < b; i++) batch.add(train.get(order[start + i]));
                double loss = step(model, batch, rng.nextLong());
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("GAE pretraining diverged (loss " + loss + ") in epoch " + (epoch + 1));
                }
                adam.step(config.adam().lrFloat());
                sum += loss;
                steps++;
            }
            trainLoss[epoch] = sum / steps;
            valLoss[epoch] = validationLoss(model, val, config.batchSize());
            boolean improved = valLoss[epoch] < best;
            if (improved) {
                best = valLoss[epoch];
                bestEpoch = epoch + 1;
                bestState = model.params.snapshot();
            }
            if (listener != null) listener.epoch(epoch + 1, config.epochs(), trainLoss[epoch], valLoss[epoch], improved);
        }
        if (bestState == null) throw new IllegalStateException("no finite validation loss in " + config.epochs() + " epochs");
        model.params.restore(bestState);
        ParamFile.write(output, GaeModel.FILE_KIND, model.meta(), model.params.state());
        return new Result(bestEpoch, best, trainLoss, valLoss);
    }

    /** One step's loss and gradients (zeroed first) on a batch: L_rec,n + L_rec,r, train-mode BatchNorm, dropout. */
    static double step(GaeModel model, List<ArchGraph> batch, long seed) {
        model.params.zeroGrads();
        double total = 0;
        long s = seed;
        int slot = 0;
        for (CellType cell : CellType.values()) {
            GaeModel.EncoderPass p = model.encode(model.upload(CellGraphs.build(batch, cell)), slot++, GaeModel.BnUse.TRAIN);
            org.proxynas.tensor.Tensor dz = p.z.backend().allocate(p.z.shape());
            total += model.reconstruct(p, true, s, 1f, dz, true).total();
            model.encodeBackward(p, dz, true, null);
            s = new Rng(s).nextLong();
        }
        return total;
    }

    /** Mean L_rec,n + L_rec,r over graphs in eval mode (running statistics, no dropout), batch-weighted. */
    static double validationLoss(GaeModel model, List<ArchGraph> graphs, int batchSize) {
        double sum = 0;
        for (int start = 0; start < graphs.size(); start += batchSize) {
            List<ArchGraph> batch = graphs.subList(start, Math.min(graphs.size(), start + batchSize));
            for (CellType cell : CellType.values()) {
                GaeModel.EncoderPass p = model.encode(model.upload(CellGraphs.build(batch, cell)), cell.ordinal(),
                        GaeModel.BnUse.EVAL);
                sum += model.reconstruct(p, false, 0L, 1f, null, false).total() * batch.size();
            }
        }
        return sum / graphs.size();
    }
}
