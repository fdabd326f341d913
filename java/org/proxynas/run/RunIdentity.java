package org.proxynas.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who a run is: a random id fixed when the run starts, and the SHA-256 of its resolved configuration (the fields
 * that decide its result; not threads, backend or checkpoint frequency). config.json and every checkpoint carry
 * both, and a checkpoint also carries the configuration itself, so a resume can tell a foreign checkpoint or an
 * edited config.json from its own and name the fields that changed.
 */
public record RunIdentity(String runId, String configHash, ObjectNode config) {
    public static final String RUN_ID = "run_id", CONFIG_HASH = "config_sha256", CONFIG = "run_config";
    /** Keys are sorted so the hash does not depend on field order. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public RunIdentity {
        Objects.requireNonNull(runId);
        Objects.requireNonNull(configHash);
        config = config.deepCopy();
    }

    /** A new run over the given resolved configuration. */
    public static RunIdentity start(ObjectNode config) {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + HexFormat.of().formatHex(r);
        return new RunIdentity(id, hash(config), config);
    }

    /** SHA-256 (hex) of a configuration, independent of key order. */
    public static String hash(JsonNode config) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(config, Object.class)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a run configuration: " + e.getMessage(), e);
        }
    }

    /** Writes the id, the hash and the configuration into a checkpoint's header. */
    public void stamp(Checkpoint c) {
        c.header().put(RUN_ID, runId);
        c.header().put(CONFIG_HASH, configHash);
        c.header().set(CONFIG, config.deepCopy());
    }

    /** Writes the id and the hash into config.json's top level. */
    public void stamp(ObjectNode configJson) {
        configJson.put(RUN_ID, runId);
        configJson.put(CONFIG_HASH, configHash);
    }

    /** "field: before -> now" for every leaf that differs between two configurations, dotted paths, in order. */
    public static List<String> differences(JsonNode before, JsonNode now) {
        List<String> out = new ArrayList<>();
        diff("", before, now, out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : a.properties()) names.add(e.getKey());
            for (Map.Entry<String, JsonNode> e : b.properties()) {
                if (!names.contains(e.getKey())) names.add(e.getKey());
            }
            for (String n : names) diff(path.isEmpty() ? n : path + "." + n, a.get(n), b.get(n), out);
        } else if (!Objects.equals(a, b) && !(a != null && b != null && a.isNumber() && b.isNumber()
                && a.decimalValue().compareTo(b.decimalValue()) == 0)) {
            out.add(path + ": " + (a == null ? "(absent)" : a.toString()) + " -> " + (b == null ? "(absent)" : b.toString()));
        }
    }
}
