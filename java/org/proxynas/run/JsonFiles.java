package org.proxynas.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;

/** Pretty-printed JSON files, written atomically; JSON files read for the user, with messages free of parser internals. */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {}

    public static void write(Path file, Object value) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file.getFileName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper mapper() { return JSON; }

    /**
     * The file's JSON tree. An empty, binary (invalid UTF-8) or malformed file is an IllegalArgumentException that
     * names the file and, for malformed JSON, the line and column; an unreadable one an UncheckedIOException.
     */
    public static JsonNode read(Path file) {
        String text = TextFiles.read(file, "a JSON object");
        if (text.isBlank()) throw new IllegalArgumentException(file + ": the file is empty; expected a JSON object");
        try {
            // parsed from the decoded text: from bytes, the parser would guess UTF-16/32 from leading zero bytes
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON" + where(e) + "; expected a JSON object", e);
        }
    }

    /** " at line L, column C" of a parser error, or "" where it has no place (the parser's own text is not for users). */
    public static String where(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
