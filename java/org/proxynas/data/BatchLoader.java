package org.proxynas.data;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.AugmentPlan;
import org.proxynas.tensor.Tensor;

/**
 * Mini-batches over an image set on a backend. A training loader reshuffles at every epoch and draws the
 * augmentation of each batch from its own {@link Rng} (pass a dedicated stream, e.g. {@code runRng.split()});
 * an evaluation loader visits the images in order without augmentation. The last partial batch is included
 * unless {@code dropLast}. The random choices are made on the host in a fixed order (shuffle at
 * {@link #beginEpoch}; then per batch row: cropY, cropX, flip, cutY, cutX, each drawn only when its option is on),
 * so every backend sees the same batches, and {@link #state}/{@link #restore} resume a run bit for bit.
 *
 * <pre>
 * while (loader.epoch() + 1 &lt; epochs) {
 *     loader.beginEpoch();
 *     while (loader.hasNext()) { Batch b = loader.next(); loader.load(b, images, labels); ... }
 * }
 * </pre>
 */
public final class BatchLoader {
    private final DeviceImages data;
    private final Normalization norm;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final AugmentOptions augment;
    private final float[] mean, std;
    private Rng rng;
    private long[] epochRng;
    private int[] order;
    private int epoch = -1, position;

    private BatchLoader(DeviceImages data, Normalization norm, int batchSize, boolean shuffle, boolean dropLast,
                        AugmentOptions augment, Rng rng) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        if (norm.channels() != data.set().channels()) {
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels, " + data.set() + " has "
                    + data.set().channels());
        }
        boolean random = shuffle || augment.pad() > 0 || augment.flip() || augment.cutout() > 0;
        if (random && rng == null) throw new IllegalArgumentException("a shuffling or augmenting loader needs an Rng");
        if (dropLast && data.set().size() < batchSize) {
            throw new IllegalArgumentException(data.set().name() + ": " + data.set().size() + " images make no full batch of " + batchSize);
        }
        this.data = data;
        this.norm = norm;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.augment = augment;
        this.rng = random ? rng : null;
        this.mean = norm.mean();
        this.std = norm.std();
    }

    /** A training loader: reshuffled every epoch, augmented as {@code augment} says. */
    public static BatchLoader train(DeviceImages data, Normalization norm, int batchSize, AugmentOptions augment,
                                    boolean dropLast, Rng rng) {
        return new BatchLoader(data, norm, batchSize, true, dropLast, augment, rng);
    }

    /** An evaluation loader: sequential order, no augmentation, last partial batch included. */
    public static BatchLoader eval(DeviceImages data, Normalization norm, int batchSize) {
        return new BatchLoader(data, norm, batchSize, false, false, AugmentOptions.NONE, null);
    }

    public DeviceImages data() { return data; }
    public Normalization normalization() { return norm; }
    public int batchSize() { return batchSize; }
    /** Images per epoch (the set's size). */
    public int size() { return data.set().size(); }
    public int batchesPerEpoch() { return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize; }
    /** Current epoch, counted from 0; -1 before the first {@link #beginEpoch}. */
    public int epoch() { return epoch; }
    /** Batches already drawn in the current epoch. */
    public int position() { return position; }

    /** Starts the next epoch (reshuffling a training loader) and returns its number. */
    public int beginEpoch() {
        epoch++;
        position = 0;
        order = identity(size());
        if (shuffle) {
            epochRng = rng.state();
            rng.shuffle(order);
        }
        return epoch;
    }

    /** Whether the current epoch has batches left (false before the first {@link #beginEpoch}). */
    public boolean hasNext() { return epoch >= 0 && position < batchesPerEpoch(); }

    /** Draws the next batch of the current epoch. */
    public Batch next() {
        if (!hasNext()) {
            throw new IllegalStateException(epoch < 0 ? "call beginEpoch() before next()"
                    : "epoch " + epoch + " is over (" + batchesPerEpoch() + " batches); call beginEpoch()");
        }
        int start = position * batchSize;
        int b = Math.min(batchSize, size() - start);
        int[] indices = new int[b], cropY = new int[b], cropX = new int[b], cutY = new int[b], cutX = new int[b];
        boolean[] flip = new boolean[b];
        float[] labels = new float[b];
        int[] setLabels = data.set().labels();
        int h = data.set().height(), w = data.set().width(), pad = augment.pad();
        for (int r = 0; r < b; r++) {
            int i = order[start + r];
            indices[r] = i;
            labels[r] = setLabels[i];
            if (pad > 0) {
                cropY[r] = rng.nextInt(2 * pad + 1);
                cropX[r] = rng.nextInt(2 * pad + 1);
            }
            if (augment.flip()) flip[r] = rng.nextBoolean();
            if (augment.cutout() > 0) {
                cutY[r] = rng.nextInt(h);
                cutX[r] = rng.nextInt(w);
            }
        }
        AugmentPlan plan = new AugmentPlan(indices, pad, cropY, cropX, flip, augment.cutout(), cutY, cutX, mean, std);
        return new Batch(epoch, position++, plan, labels);
    }

    /**
     * Builds the batch on the backend: images [B,C,H,W] via the augment kernel, and labels (B floats; may be null)
     * by a host-to-device copy.
     */
    public void load(Batch batch, Tensor images, Tensor labels) {
        data.backend().kernels().augment(data.pixels(), batch.plan(), images);
        if (labels != null) labels.fromHost(batch.labels());
    }

    /** The state to checkpoint; {@link #restore} on an equal loader continues exactly from here. */
    public LoaderState state() {
        return new LoaderState(size(), batchSize, epoch, position, shuffle && epoch >= 0 ? epochRng : null,
                rng == null ? null : rng.state());
    }

    /** Continues from a state of a loader over the same images with the same batch size and options. */
    public void restore(LoaderState s) {
        if (s.images() != size() || s.batchSize() != batchSize) {
            throw new IllegalArgumentException("loader state is for " + s.images() + " images in batches of " + s.batchSize()
                    + ", this loader has " + size() + " images in batches of " + batchSize);
        }
        if ((s.rng() == null) != (rng == null) || (shuffle && s.epoch() >= 0 && s.epochRng() == null)) {
            throw new IllegalArgumentException("loader state " + s + " comes from a loader with other randomness options");
        }
        if (s.epoch() >= 0 && s.position() > batchesPerEpoch()) {
            throw new IllegalArgumentException("loader state position " + s.position() + " exceeds the " + batchesPerEpoch()
                    + " batches of an epoch");
        }
        epoch = s.epoch();
        position = s.position();
        order = null;
        epochRng = null;
        if (epoch >= 0) {
            order = identity(size());
            if (shuffle) {
                epochRng = s.epochRng();
                Rng.fromState(epochRng).shuffle(order);
            }
        }
        if (s.rng() != null) rng = Rng.fromState(s.rng());
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
