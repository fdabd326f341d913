package org.proxynas.data;

/**
 * The resumable state of a {@link BatchLoader}: the epoch (-1 before the first), the number of batches already
 * drawn in it, the Rng state at the start of the epoch (replaying its shuffle rebuilds the order) and the current
 * Rng state (both null for a loader without randomness), plus the set size and batch size for a consistency check
 * on restore. Arrays are copied on the way in and out.
 */
public record LoaderState(int images, int batchSize, int epoch, int position, long[] epochRng, long[] rng) {
    public LoaderState {
        epochRng = epochRng == null ? null : epochRng.clone();
        rng = rng == null ? null : rng.clone();
        if (epoch < -1 || position < 0) throw new IllegalArgumentException("loader state: epoch " + epoch + ", position " + position);
    }

    @Override public long[] epochRng() { return epochRng == null ? null : epochRng.clone(); }

    @Override public long[] rng() { return rng == null ? null : rng.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoaderState s && images == s.images && batchSize == s.batchSize && epoch == s.epoch
                && position == s.position && java.util.Arrays.equals(epochRng, s.epochRng) && java.util.Arrays.equals(rng, s.rng);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(images, batchSize, epoch, position, java.util.Arrays.hashCode(epochRng), java.util.Arrays.hashCode(rng));
    }

    @Override
    public String toString() {
        return "LoaderState[images=" + images + ", batchSize=" + batchSize + ", epoch=" + epoch + ", position=" + position + "]";
    }
}
