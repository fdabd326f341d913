package org.proxynas.nn;

/**
 * Shape of an evaluation network for a derived genotype (DARTS CIFAR defaults: C=36, L=20, auxiliary head).
 */
public record EvalNetConfig(int channels, int layers, int classes, int inChannels, boolean auxiliary) {
    public EvalNetConfig {
        if (channels < 2 || channels % 2 != 0) throw new IllegalArgumentException("channels must be even and >= 2, got " + channels);
        if (layers < 3) throw new IllegalArgumentException("layers must be >= 3, got " + layers);
        if (classes < 2) throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        if (inChannels < 1) throw new IllegalArgumentException("inChannels must be >= 1, got " + inChannels);
    }

    public static EvalNetConfig cifar(int classes) { return new EvalNetConfig(36, 20, classes, 3, true); }

    public boolean isReduction(int cell) { return cell == layers / 3 || cell == 2 * layers / 3; }

    public int auxiliaryCell() { return 2 * layers / 3; }
}
