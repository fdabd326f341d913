package org.proxynas.nn;

/**
 * Shape of the DARTS search network.
 *
 * @param channels        C of the first cells (16 in the reference search)
 * @param layers          number of cells L (8); reductions at L/3 and 2L/3
 * @param classes         output classes
 * @param inChannels      image channels (3 for CIFAR-10, 1 for Fashion-MNIST)
 * @param stemMultiplier  stem width = stemMultiplier * C (3)
 */
public record SuperNetConfig(int channels, int layers, int classes, int inChannels, int stemMultiplier) {
    public SuperNetConfig {
        if (channels < 2 || channels % 2 != 0) throw new IllegalArgumentException("channels must be even and >= 2, got " + channels);
        if (layers < 3) throw new IllegalArgumentException("layers must be >= 3 (two of them are reduction cells), got " + layers);
        if (classes < 2) throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        if (inChannels < 1) throw new IllegalArgumentException("inChannels must be >= 1, got " + inChannels);
        if (stemMultiplier < 1) throw new IllegalArgumentException("stemMultiplier must be >= 1, got " + stemMultiplier);
    }

    /** The reference search network: C=16, L=8, 10 classes, RGB input. */
    public static SuperNetConfig reference() { return new SuperNetConfig(16, 8, 10, 3, 3); }

    public boolean isReduction(int cell) { return cell == layers / 3 || cell == 2 * layers / 3; }
}
