package org.proxynas.space;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading and writing genotype files. A {@code .json} file (or any file whose first non-blank character is
 * <code>{</code>) is {@link GenotypeJson}; anything else is DARTS text ({@link GenotypeText}). Every error names the
 * file.
 */
public final class GenotypeFiles {
    private GenotypeFiles() {}

    /** Loads a genotype file in either format. */
    public static Genotype load(Path file) {
        String source = "genotype file " + file;
        if (!Files.isRegularFile(file)) {
            throw new GenotypeFormatException(source, Files.exists(file) ? "not a regular file" : "no such file", null);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new GenotypeFormatException(source, "not a text file (invalid UTF-8); expected DARTS genotype text or JSON", null);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e, e);
        }
        if (text.isBlank()) throw new GenotypeFormatException(source, "the file is empty; expected DARTS genotype text or JSON", null);
        if (isJson(file, text)) return GenotypeJson.parse(text, source);
        return GenotypeText.parse(text, source);
    }

    /** Writes {@code .json} paths as JSON, anything else as DARTS text; one line plus a newline. */
    public static void save(Path file, Genotype g) {
        String body = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? GenotypeJson.write(g) : GenotypeText.format(g);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, body + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("genotype file " + file + ": cannot write: " + e, e);
        }
    }

    private static boolean isJson(Path file, String text) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) return true;
        return text.stripLeading().startsWith("{");
    }
}
