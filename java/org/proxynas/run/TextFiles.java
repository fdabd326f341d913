package org.proxynas.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Text files read for the user: strict UTF-8, so a binary or damaged file is named as such instead of being misread. */
public final class TextFiles {
    private TextFiles() {}

    /**
     * The file's text. Not UTF-8: an IllegalArgumentException "FILE: not a text file (invalid UTF-8); expected
     * {@code expected}"; unreadable: an UncheckedIOException naming the file.
     */
    public static String read(Path file, String expected) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a text file (invalid UTF-8); expected " + expected);
        }
    }
}
