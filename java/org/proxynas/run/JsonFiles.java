package org.proxynas.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;

/** Pretty-printed JSON files, written atomically. */
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
}
