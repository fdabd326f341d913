package org.proxynas.space;

import java.util.Objects;

/**
 * One kept edge of a derived cell: the operation and the state it reads (0 = c_{k-2}, 1 = c_{k-1}, 2+i = node i).
 * Range checks against the node happen in {@link Genotype}, which knows where the gene sits.
 */
public record Gene(Primitive op, int input) {
    public Gene {
        Objects.requireNonNull(op, "op");
        if (input < 0) throw new IllegalArgumentException("input must be >= 0, got " + input);
    }

    public static Gene of(Primitive op, int input) { return new Gene(op, input); }

    /** By DARTS name, e.g. {@code Gene.of("sep_conv_3x3", 0)}. */
    public static Gene of(String op, int input) { return new Gene(Primitive.fromName(op), input); }

    @Override
    public String toString() { return "('" + op.dartsName() + "', " + input + ")"; }
}
