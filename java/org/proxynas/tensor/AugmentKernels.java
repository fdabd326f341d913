package org.proxynas.tensor;

/** Batch assembly with data augmentation on the device. One family of {@link Kernels}, whose conventions apply. */
public interface AugmentKernels {
    /**
     * Builds a normalised, augmented batch from stored images. source [M,C,H,W] holds pixel values 0..255;
     * out is [B,C,H,W]. The random choices are made on the host (so every backend draws the same batch) and
     * applied here: see {@link AugmentPlan}.
     */
    void augment(Tensor source, AugmentPlan plan, Tensor out);
}
