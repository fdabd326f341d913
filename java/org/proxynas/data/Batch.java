package org.proxynas.data;

import org.proxynas.tensor.AugmentPlan;

/**
 * One batch drawn by a {@link BatchLoader}: batch {@code index} of {@code epoch}, its augmentation plan (image
 * indices into the loader's set and the random choices) and its labels as floats (class indices).
 */
public record Batch(int epoch, int index, AugmentPlan plan, float[] labels) {
    public int size() { return labels.length; }
}
