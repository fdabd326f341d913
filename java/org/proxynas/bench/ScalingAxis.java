package org.proxynas.bench;

import java.util.Locale;

/**
 * One axis of the scaling study: the swept quantity, with the other two held at the peer's defaults
 * (C = 16, L = 8, batch 64).
 */
public enum ScalingAxis {
    BATCH("batch"), CHANNELS("channels C"), LAYERS("layers L");

    public static final int DEFAULT_CHANNELS = 16, DEFAULT_LAYERS = 8, DEFAULT_BATCH = 64;

    private final String label;

    ScalingAxis(String label) { this.label = label; }

    public String key() { return name().toLowerCase(Locale.ROOT); }

    public String label() { return label; }

    /** The swept value of a run of size (channels, layers, batch). */
    public int value(int channels, int layers, int batch) {
        return switch (this) {
            case BATCH -> batch;
            case CHANNELS -> channels;
            case LAYERS -> layers;
        };
    }

    /** Whether the two quantities this axis does not sweep are at their defaults. */
    public boolean holdsOthers(int channels, int layers, int batch) {
        return (this == CHANNELS || channels == DEFAULT_CHANNELS) && (this == LAYERS || layers == DEFAULT_LAYERS)
                && (this == BATCH || batch == DEFAULT_BATCH);
    }
}
