package org.proxynas.proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.proxynas.tensor.Tensor;

/**
 * The binary file of a proxy model (regressor parameters, BatchNorm buffers, optimiser moments, or a pretrained
 * GAE). Big-endian, versioned and checksummed:
 * <pre>
 *   8 bytes  magic "PXNPROXY"
 *   int      format version ({@value #VERSION})
 *   UTF      kind (e.g. "lstm-regressor", "gae-regressor", "gae-autoencoder")
 *   int      n meta; n x (UTF key, UTF value)          configuration and counters as text
 *   int      n tensors; n x (UTF name, int rank, rank x int dim, size x float)
 *   long     CRC32 of every byte before it
 * </pre>
 * Files are written atomically (temp file, fsync, rename). Every read error names the file.
 */
final class ParamFile {
    static final byte[] MAGIC = "PXNPROXY".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    /** What a file holds. */
    record Contents(String kind, Map<String, String> meta, Map<String, int[]> shapes, Map<String, float[]> tensors) {}

    private ParamFile() {}

    static void write(Path file, String kind, Map<String, String> meta, Map<String, Tensor> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            out.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int d : shape) out.writeInt(d);
                for (float f : e.getValue().toHost()) out.writeFloat(f);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        writeAtomically(file, bytes.toByteArray());
    }

    private static void writeAtomically(Path file, byte[] data) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads and validates a file; {@code expectedKind} (nullable) must match the stored kind. */
    static Contents read(Path file, String expectedKind) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read proxy model file " + file + ": " + e.getMessage(), e);
        }
        if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new ProxyFileException(file, "not a ProxyNAS proxy model file (bad magic number; expected \"PXNPROXY\")");
        }
        if (data.length < MAGIC.length + 4 + 8) throw new ProxyFileException(file, "truncated (" + data.length + " bytes)");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw new ProxyFileException(file, "format version " + version + " is not supported (this build reads version "
                        + VERSION + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, data.length - 8);
            long stored = java.nio.ByteBuffer.wrap(data, data.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw new ProxyFileException(file, "checksum mismatch: the file is corrupt or truncated");
            }
            String kind = in.readUTF();
            if (expectedKind != null && !expectedKind.equals(kind)) {
                throw new ProxyFileException(file, "holds a \"" + kind + "\", expected a \"" + expectedKind + "\"");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            int nMeta = in.readInt();
            if (nMeta < 0 || nMeta > 10_000) throw new ProxyFileException(file, "bad meta count " + nMeta);
            for (int i = 0; i < nMeta; i++) meta.put(in.readUTF(), in.readUTF());
            int nTensors = in.readInt();
            if (nTensors < 0 || nTensors > 100_000) throw new ProxyFileException(file, "bad tensor count " + nTensors);
            Map<String, int[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> tensors = new LinkedHashMap<>();
            for (int i = 0; i < nTensors; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 1 || rank > 4) throw new ProxyFileException(file, "tensor " + name + " has bad rank " + rank);
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readInt();
                    if (shape[d] <= 0) throw new ProxyFileException(file, "tensor " + name + " has bad shape " + Arrays.toString(shape));
                    size *= shape[d];
                }
                if (size * 4 > data.length) throw new ProxyFileException(file, "tensor " + name + " is larger than the file");
                float[] values = new float[(int) size];
                for (int j = 0; j < values.length; j++) values[j] = in.readFloat();
                shapes.put(name, shape);
                tensors.put(name, values);
            }
            if (in.available() != 8) throw new ProxyFileException(file, "unexpected trailing bytes");
            return new Contents(kind, meta, shapes, tensors);
        } catch (EOFException e) {
            throw new ProxyFileException(file, "truncated: ended in the middle of a record");
        }
    }

    /** Copies the file's tensors into {@code targets}; every target must be present with the same shape. */
    static void copyInto(Path file, Contents contents, Map<String, Tensor> targets) throws ProxyFileException {
        // Validate everything first so a bad file changes nothing.
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            int[] shape = contents.shapes().get(e.getKey());
            if (shape == null) throw new ProxyFileException(file, "has no tensor " + e.getKey());
            if (!Arrays.equals(shape, e.getValue().shape())) {
                throw new ProxyFileException(file, "tensor " + e.getKey() + " has shape " + Arrays.toString(shape)
                        + ", this model expects " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : targets.entrySet()) e.getValue().fromHost(contents.tensors().get(e.getKey()));
    }

    /** A required meta value. */
    static String meta(Path file, Contents c, String key) throws ProxyFileException {
        String v = c.meta().get(key);
        if (v == null) throw new ProxyFileException(file, "has no field \"" + key + "\"");
        return v;
    }

    /** A required meta value that must equal {@code expected} (the model's configuration). */
    static void expectMeta(Path file, Contents c, String key, Object expected) throws ProxyFileException {
        String v = meta(file, c, key);
        if (!v.equals(String.valueOf(expected))) {
            throw new ProxyFileException(file, "field \"" + key + "\" is " + v + ", this model has " + expected);
        }
    }
}
