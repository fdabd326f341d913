package org.proxynas.space;

/** The two cell types of the DARTS space; each has its own α matrix and genotype list. */
public enum CellType {
    NORMAL("normal"),
    REDUCE("reduce");

    private final String key;

    CellType(String key) { this.key = key; }

    /** The field name used in genotypes ({@code normal} / {@code reduce}). */
    public String key() { return key; }

    @Override
    public String toString() { return key; }
}
