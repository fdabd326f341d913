package org.proxynas.nasbench;

import java.util.function.Supplier;

/** Oracles by name, as a factory: each worker thread opens its own instance. */
public final class Oracles {
    /** The synthetic landscape's seed (fixed: it is a test fixture, not a benchmark). */
    public static final long SYNTHETIC_SEED = 301;

    private Oracles() {}

    public static Supplier<Oracle> named(String name) {
        return switch (name) {
            case "nb301" -> Nb301Oracle::new;
            case "synthetic" -> () -> new SyntheticOracle(SYNTHETIC_SEED);
            default -> throw new IllegalArgumentException("--oracle must be nb301 or synthetic, got '" + name + "'");
        };
    }
}
