package org.proxynas.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the supernet runs in a benchmark: every op per edge (DARTS mixture) or one sampled op per edge (PVLL). */
public enum BenchMode {
    MIXTURE, SINGLE;

    /** The name in options and JSON, as the PyTorch peer spells it. */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static BenchMode parse(String option, String value) {
        for (BenchMode m : values()) if (m.key().equals(value.trim())) return m;
        throw new IllegalArgumentException(option + ": unknown mode '" + value + "'; expected one of "
                + Arrays.stream(values()).map(BenchMode::key).collect(Collectors.joining(", ")));
    }
}
