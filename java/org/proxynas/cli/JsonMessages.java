package org.proxynas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.proxynas.run.JsonFiles;

import java.util.stream.Collectors;

/** JSON-to-object failures told to the user: the field and what was wrong, no parser internals. */
final class JsonMessages {
    private JsonMessages() {}

    /** A one-line account of a JSON-to-object failure: the field, and what it expected or why it was refused. */
    static String describe(Exception e) {
        if (e instanceof ValueInstantiationException v && v.getCause() != null) return v.getCause().getMessage();
        if (e instanceof UnrecognizedPropertyException u) return "unknown field '" + u.getPropertyName() + "'";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "field '" + field + "' has the wrong type or value";
        }
        if (e instanceof JsonProcessingException p) return "malformed" + JsonFiles.where(p);
        return e.getMessage();
    }
}
