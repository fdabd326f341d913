package org.proxynas.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A run's whole state in one file: a JSON header (positions, RNG states, scalars) and named float arrays
 * (weights, optimiser moments, alpha, ...). Layout: magic, format version, header length + JSON, array count,
 * then (name, length, little-endian floats) per array, and a CRC-32 of everything before it. Written atomically,
 * so the previous checkpoint survives any crash during a write.
 */
public final class Checkpoint {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "PROXYNAS-CKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Magic, version, header length, array count and CRC. */
    private static final int MIN_SIZE = MAGIC.length + 4 + 4 + 4 + 8;

    private final ObjectNode header;
    private final Map<String, float[]> arrays = new LinkedHashMap<>();
    private final String source;

    public Checkpoint() { this(JSON.createObjectNode(), "<new checkpoint>"); }

    private Checkpoint(ObjectNode header, String source) {
        this.header = header;
        this.source = source;
    }

    /** The JSON header, for scalars and small structures. */
    public ObjectNode header() { return header; }

    public ObjectMapper json() { return JSON; }

    public void put(String name, float[] data) {
        if (arrays.putIfAbsent(name, data) != null) throw new IllegalArgumentException("checkpoint array '" + name + "' written twice");
    }

    public boolean has(String name) { return arrays.containsKey(name); }

    /** The array names, in file order. */
    public java.util.Set<String> names() { return java.util.Collections.unmodifiableSet(arrays.keySet()); }

    /** The array, which must exist and have the expected length. */
    public float[] get(String name, long expectedLength) {
        float[] a = arrays.get(name);
        if (a == null) throw new CheckpointException(source + ": no array '" + name + "' (checkpoint of another configuration?)");
        if (expectedLength >= 0 && a.length != expectedLength) {
            throw new CheckpointException(source + ": array '" + name + "' has " + a.length + " values, expected " + expectedLength
                    + " (checkpoint of another configuration?)");
        }
        return a;
    }

    /** A header field that must exist. */
    public JsonNode field(String name) {
        JsonNode n = header.get(name);
        if (n == null || n.isNull()) throw new CheckpointException(source + ": header field '" + name + "' is missing");
        return n;
    }

    public void write(Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            byte[] h = JSON.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
            out.writeInt(arrays.size());
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                float[] a = e.getValue();
                out.writeInt(a.length);
                ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(a);
                out.write(buf.array());
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such checkpoint file");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage());
        }
        if (all.length == 0) throw new CheckpointException(file + ": the checkpoint is empty (0 bytes); a write was cut off before it began");
        int prefix = Math.min(all.length, MAGIC.length);
        if (!java.util.Arrays.equals(java.util.Arrays.copyOf(all, prefix), java.util.Arrays.copyOf(MAGIC, prefix))) {
            throw new CheckpointException(file + ": not a ProxyNAS checkpoint (its first bytes are not \"PROXYNAS-CKPT\")");
        }
        if (all.length < MIN_SIZE) {
            throw new CheckpointException(file + ": the checkpoint is truncated (" + all.length + " bytes; the smallest has " + MIN_SIZE + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (crc.getValue() != stored) throw new CheckpointException(file + ": checkpoint is corrupt (CRC mismatch; truncated or damaged)");
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, MAGIC.length, all.length - MAGIC.length - 8))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new CheckpointException(file + ": checkpoint format version " + version + ", this build reads version " + VERSION);
            }
            byte[] h = new byte[length(in.readInt(), 1, in.available(), file, "header length")];
            in.readFully(h);
            JsonNode header = JSON.readTree(h);
            if (!(header instanceof ObjectNode obj)) throw new CheckpointException(file + ": checkpoint header is not a JSON object");
            Checkpoint c = new Checkpoint(obj, file.toString());
            int count = length(in.readInt(), 1, in.available(), file, "array count");
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int n = length(in.readInt(), 4, in.available(), file, "length of array '" + name + "'");
                byte[] raw = new byte[n * 4];
                in.readFully(raw);
                float[] a = new float[n];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
                c.arrays.put(name, a);
            }
            return c;
        } catch (EOFException e) {
            throw new CheckpointException(file + ": checkpoint is truncated");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(file + ": the checkpoint's header is not valid JSON (damaged checkpoint)");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot parse checkpoint: " + e.getMessage());
        }
    }

    /** A count read from the file, checked against the bytes left before anything is allocated for it. */
    private static int length(int value, int bytesEach, int available, Path file, String what) {
        if (value < 0 || (long) value * bytesEach > available) {
            throw new CheckpointException(file + ": " + what + " is " + value + ", but only " + available + " bytes follow (damaged checkpoint)");
        }
        return value;
    }

    /** A checkpoint that cannot be used: missing, foreign, corrupt or of another configuration. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) { super(message); }
    }
}
