package org.proxynas.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.proxynas.run.JsonFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** JSON files read for the user: an empty, binary or malformed file gets a message with the place, no parser internals. */
final class JsonMessages {
    private JsonMessages() {}

    /** The file's JSON tree; a {@link UserError} naming the file and what is wrong with it otherwise. */
    static JsonNode read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) throw new UserError(file + ": the file is empty; expected a JSON object");
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not a text file (invalid UTF-8); expected a JSON object");
        }
        try {
            return JsonFiles.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": not valid JSON" + where(e.getLocation()) + "; expected a JSON object", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A one-line account of a JSON-to-object failure: the field, and what it expected or why it was refused. */
    static String describe(Exception e) {
        if (e instanceof ValueInstantiationException v && v.getCause() != null) return v.getCause().getMessage();
        if (e instanceof UnrecognizedPropertyException u) return "unknown field '" + u.getPropertyName() + "'";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "field '" + field + "' has the wrong type or value";
        }
        if (e instanceof JsonProcessingException p) return "malformed" + where(p.getLocation());
        return e.getMessage();
    }

    private static String where(JsonLocation l) {
        return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
