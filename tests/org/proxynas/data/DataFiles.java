package org.proxynas.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small dataset files for the reader tests. */
final class DataFiles {
    private DataFiles() {}

    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) {
        return bytes(o -> {
            o.writeInt(magic);
            o.writeInt(count);
            o.writeInt(rows);
            o.writeInt(cols);
            o.write(pixels);
        });
    }

    static byte[] idxLabels(int magic, int count, int[] labels) {
        return bytes(o -> {
            o.writeInt(magic);
            o.writeInt(count);
            for (int l : labels) o.writeByte(l);
        });
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Pixel bytes of n images where image i, byte k holds (7*i + k) mod 256. */
    static byte[] pattern(int n, int imageSize) {
        byte[] p = new byte[n * imageSize];
        for (int i = 0; i < n; i++) for (int k = 0; k < imageSize; k++) p[i * imageSize + k] = (byte) (7 * i + k);
        return p;
    }

    /** CIFAR binary records: label byte then 3072 pixel bytes each. */
    static byte[] cifar(int[] labels, byte[] pixels) {
        byte[] out = new byte[labels.length * CifarReader.RECORD_BYTES];
        for (int r = 0; r < labels.length; r++) {
            out[r * CifarReader.RECORD_BYTES] = (byte) labels[r];
            System.arraycopy(pixels, r * CifarReader.IMAGE_BYTES, out, r * CifarReader.RECORD_BYTES + 1, CifarReader.IMAGE_BYTES);
        }
        return out;
    }

    static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Writer { void write(DataOutputStream o) throws IOException; }

    private static byte[] bytes(Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            w.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** A labelled set whose image i holds its own index in its first two bytes (for tracing images through copies). */
    static ImageSet indexed(int n, int c, int h, int w, int classes) {
        int size = c * h * w;
        byte[] p = new byte[n * size];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            p[i * size] = (byte) i;
            p[i * size + 1] = (byte) (i >> 8);
            for (int k = 2; k < size; k++) p[i * size + k] = (byte) (31 * i + k);
            l[i] = (i * 7 + 3) % classes;
        }
        return new ImageSet("indexed", p, l, c, h, w, classes);
    }

    /** The index stored by {@link #indexed} in image i of a set. */
    static int indexOf(ImageSet s, int i) {
        int size = s.imageSize();
        return (s.pixels()[i * size] & 0xFF) | (s.pixels()[i * size + 1] & 0xFF) << 8;
    }
}
