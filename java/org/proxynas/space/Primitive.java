package org.proxynas.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The eight DARTS candidate operations, in DARTS order. The ordinal is the column of the architecture
 * parameters α (docs/method.md#search-space), so the declaration order must never change.
 */
public enum Primitive {
    NONE("none", "none"),
    MAX_POOL_3X3("max_pool_3x3", "max"),
    AVG_POOL_3X3("avg_pool_3x3", "avg"),
    SKIP_CONNECT("skip_connect", "skip"),
    SEP_CONV_3X3("sep_conv_3x3", "sep3"),
    SEP_CONV_5X5("sep_conv_5x5", "sep5"),
    DIL_CONV_3X3("dil_conv_3x3", "dil3"),
    DIL_CONV_5X5("dil_conv_5x5", "dil5");

    /** Number of primitives (columns of α). */
    public static final int COUNT = 8;

    private static final Primitive[] VALUES = values();
    private static final List<Primitive> NON_NONE = List.of(VALUES).subList(1, COUNT);

    private final String dartsName;
    private final String shortName;

    Primitive(String dartsName, String shortName) {
        this.dartsName = dartsName;
        this.shortName = shortName;
    }

    /** The DARTS name, e.g. {@code sep_conv_3x3}. */
    public String dartsName() { return dartsName; }

    /** The short name used in logs and by the PyTorch peer, e.g. {@code sep3}. */
    public String shortName() { return shortName; }

    /** Column of α (0 = none). */
    public int index() { return ordinal(); }

    @Override
    public String toString() { return dartsName; }

    /** The primitive at column {@code index}; fails for an index outside [0, 8). */
    public static Primitive fromIndex(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("operation index " + index + " out of range [0, " + COUNT + ")");
        }
        return VALUES[index];
    }

    /** The primitive with this DARTS name (exact, case-sensitive); the error names the token and the valid names. */
    public static Primitive fromName(String name) {
        for (Primitive p : VALUES) {
            if (p.dartsName.equals(name)) return p;
        }
        throw new IllegalArgumentException("unknown operation '" + name + "'; valid operations: " + validNames());
    }

    /** The primitive with this short name ({@code max}, {@code sep3}, ...); case-insensitive. */
    public static Primitive fromShortName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Primitive p : VALUES) {
            if (p.shortName.equals(n)) return p;
        }
        List<String> shorts = new ArrayList<>();
        for (Primitive p : VALUES) shorts.add(p.shortName);
        throw new IllegalArgumentException("unknown short operation name '" + name + "'; valid: "
                + String.join(", ", shorts));
    }

    /** The seven primitives other than {@code none}, in DARTS order. */
    public static List<Primitive> nonNone() { return NON_NONE; }

    /** All DARTS names in order, comma-separated (for error messages). */
    public static String validNames() {
        List<String> names = new ArrayList<>(COUNT);
        for (Primitive p : VALUES) names.add(p.dartsName);
        return String.join(", ", Collections.unmodifiableList(names));
    }
}
