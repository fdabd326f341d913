package org.proxynas.space;

/**
 * A genotype text or JSON that cannot be read. The message names the source (file or "genotype text"), and for
 * text the character offset (0-based) with line and column (1-based) of the offending token.
 */
public final class GenotypeFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int offset;

    public GenotypeFormatException(String source, int offset, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.offset = offset;
    }

    public GenotypeFormatException(String source, String message, Throwable cause) {
        this(source, -1, message, cause);
    }

    /** Where the input came from (a file path, or "genotype text" / "genotype JSON"). */
    public String source() { return source; }

    /** Character offset of the offending token, or -1 where not known (JSON). */
    public int offset() { return offset; }
}
