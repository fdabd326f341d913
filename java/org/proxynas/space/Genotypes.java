package org.proxynas.space;

import static org.proxynas.space.Primitive.AVG_POOL_3X3;
import static org.proxynas.space.Primitive.DIL_CONV_3X3;
import static org.proxynas.space.Primitive.DIL_CONV_5X5;
import static org.proxynas.space.Primitive.MAX_POOL_3X3;
import static org.proxynas.space.Primitive.SEP_CONV_3X3;
import static org.proxynas.space.Primitive.SEP_CONV_5X5;
import static org.proxynas.space.Primitive.SKIP_CONNECT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.InvalidPathException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The published genotypes of docs/method.md#genotypes, and resolution of a name-or-file argument. */
public final class Genotypes {
    private Genotypes() {}

    /** DARTS first order (quark0/darts cnn/genotypes.py DARTS_V1). */
    public static final Genotype DARTS_V1 = Genotype.of(
            List.of(g(SEP_CONV_3X3, 1), g(SEP_CONV_3X3, 0), g(SKIP_CONNECT, 0), g(SEP_CONV_3X3, 1),
                    g(SKIP_CONNECT, 0), g(SEP_CONV_3X3, 1), g(SEP_CONV_3X3, 0), g(SKIP_CONNECT, 2)),
            List.of(g(MAX_POOL_3X3, 0), g(MAX_POOL_3X3, 1), g(SKIP_CONNECT, 2), g(MAX_POOL_3X3, 0),
                    g(MAX_POOL_3X3, 0), g(SKIP_CONNECT, 2), g(SKIP_CONNECT, 2), g(AVG_POOL_3X3, 0)));

    /** DARTS second order ("DARTS" in most tables; quark0/darts DARTS_V2). */
    public static final Genotype DARTS_V2 = Genotype.of(
            List.of(g(SEP_CONV_3X3, 0), g(SEP_CONV_3X3, 1), g(SEP_CONV_3X3, 0), g(SEP_CONV_3X3, 1),
                    g(SEP_CONV_3X3, 1), g(SKIP_CONNECT, 0), g(SKIP_CONNECT, 0), g(DIL_CONV_3X3, 2)),
            List.of(g(MAX_POOL_3X3, 0), g(MAX_POOL_3X3, 1), g(SKIP_CONNECT, 2), g(MAX_POOL_3X3, 1),
                    g(MAX_POOL_3X3, 0), g(SKIP_CONNECT, 2), g(SKIP_CONNECT, 2), g(MAX_POOL_3X3, 1)));

    /** PC-DARTS, CIFAR (yuhuixu1993/PC-DARTS genotypes.py PC_DARTS_cifar). */
    public static final Genotype PC_DARTS = Genotype.of(
            List.of(g(SEP_CONV_3X3, 1), g(SKIP_CONNECT, 0), g(SEP_CONV_3X3, 0), g(DIL_CONV_3X3, 1),
                    g(SEP_CONV_5X5, 0), g(SEP_CONV_3X3, 1), g(AVG_POOL_3X3, 0), g(DIL_CONV_3X3, 1)),
            List.of(g(SEP_CONV_5X5, 1), g(MAX_POOL_3X3, 0), g(SEP_CONV_5X5, 1), g(SEP_CONV_5X5, 2),
                    g(SEP_CONV_3X3, 0), g(SEP_CONV_3X3, 3), g(SEP_CONV_3X3, 1), g(SEP_CONV_3X3, 2)));

    /** PVLL-NAS, as annotated in the reference code (3.505726 M params, 97.30 % CIFAR-10). */
    public static final Genotype PVLL_NAS = Genotype.of(
            List.of(g(SEP_CONV_5X5, 0), g(DIL_CONV_3X3, 1), g(SEP_CONV_3X3, 1), g(SEP_CONV_5X5, 0),
                    g(AVG_POOL_3X3, 3), g(DIL_CONV_5X5, 1), g(SEP_CONV_3X3, 1), g(MAX_POOL_3X3, 0)),
            List.of(g(SEP_CONV_5X5, 1), g(MAX_POOL_3X3, 0), g(MAX_POOL_3X3, 1), g(DIL_CONV_3X3, 2),
                    g(DIL_CONV_5X5, 2), g(SEP_CONV_5X5, 0), g(DIL_CONV_3X3, 1), g(SKIP_CONNECT, 2)));

    private static final Map<String, Genotype> BUILTINS;

    static {
        Map<String, Genotype> m = new LinkedHashMap<>();
        m.put("DARTS_V1", DARTS_V1);
        m.put("DARTS_V2", DARTS_V2);
        m.put("PC_DARTS", PC_DARTS);
        m.put("PVLL_NAS", PVLL_NAS);
        BUILTINS = java.util.Collections.unmodifiableMap(m);
    }

    private static Gene g(Primitive op, int input) { return new Gene(op, input); }

    /** The built-ins by canonical name, in a fixed order. */
    public static Map<String, Genotype> builtins() { return BUILTINS; }

    /**
     * A built-in by name: case-insensitive, '-' taken as '_', and "DARTS" as an alias of DARTS_V2 (as in the
     * DARTS code).
     */
    public static Optional<Genotype> byName(String name) {
        if (name == null) return Optional.empty();
        String key = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("DARTS")) key = "DARTS_V2";
        return Optional.ofNullable(BUILTINS.get(key));
    }

    /**
     * A built-in name, else a genotype file ({@code .json} or DARTS text). A name that is neither gets an error
     * listing the known names; a file that exists but is malformed gets the file's parse error.
     */
    public static Genotype resolve(String nameOrPath) {
        Optional<Genotype> builtin = byName(nameOrPath);
        if (builtin.isPresent()) return builtin.get();
        Path p = null;
        try {
            if (nameOrPath != null && !nameOrPath.isBlank()) p = Path.of(nameOrPath);
        } catch (InvalidPathException ignored) {
            // falls through to the error below
        }
        if (p != null && Files.exists(p)) return GenotypeFiles.load(p);
        throw new IllegalArgumentException("unknown genotype '" + nameOrPath + "': not a built-in name ("
                + String.join(", ", BUILTINS.keySet()) + ", or DARTS for DARTS_V2) and no such file");
    }
}
