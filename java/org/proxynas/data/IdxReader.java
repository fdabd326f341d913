package org.proxynas.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX files of MNIST and Fashion-MNIST, raw or gzipped (detected by the gzip magic bytes 1f 8b,
 * not by the file name). Images: big-endian int32 magic 2051 (0x00000803: unsigned bytes, 3 dimensions), then
 * count, rows, cols, then count*rows*cols pixel bytes. Labels: magic 2049 (0x00000801), count, then count bytes.
 * Every problem is a {@link DatasetException} naming the file and the byte offset (of the decompressed data for
 * gzipped files) with what was expected and what was found.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_HEADER = 16;
    static final int LABELS_HEADER = 8;

    private IdxReader() {}

    /** The content of an IDX image file: count images of rows x cols bytes, row-major. */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {}

    public static IdxImages readImages(Path file) {
        try (Source s = Source.open(file)) {
            return readImages(s);
        }
    }

    public static int[] readLabels(Path file) {
        try (Source s = Source.open(file)) {
            return readLabels(s);
        }
    }

    /** Reads an image file from a stream (for example a class-path resource); {@code source} names it in errors. */
    public static IdxImages readImages(String source, InputStream in) {
        try (Source s = Source.of(source, in)) {
            return readImages(s);
        }
    }

    public static int[] readLabels(String source, InputStream in) {
        try (Source s = Source.of(source, in)) {
            return readLabels(s);
        }
    }

    /** Reads an image file and its label file into one one-channel image set; labels must lie in [0, classes). */
    public static ImageSet readImageSet(String name, Path images, Path labels, int classes) {
        return combine(name, images.toString(), readImages(images), labels.toString(), readLabels(labels), classes);
    }

    static ImageSet combine(String name, String imagesSource, IdxImages images, String labelsSource, int[] labels, int classes) {
        if (images.count() != labels.length) {
            throw new DatasetException(name + ": image/label count disagreement: " + imagesSource + " holds " + images.count()
                    + " images (count at byte offset 4) but " + labelsSource + " holds " + labels.length + " labels (count at byte offset 4)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw DatasetException.at(labelsSource, LABELS_HEADER + i, "label of record " + i + " is " + labels[i]
                        + ", expected 0.." + (classes - 1));
            }
        }
        return new ImageSet(name, images.pixels(), labels, 1, images.rows(), images.cols(), classes);
    }

    private static IdxImages readImages(Source s) {
        s.expectMagic(IMAGES_MAGIC, "IDX unsigned-byte images");
        int count = s.readDim(4, "image count");
        int rows = s.readDim(8, "row count");
        int cols = s.readDim(12, "column count");
        if (rows == 0 || cols == 0) throw s.error(rows == 0 ? 8 : 12, "image rows and columns must be positive, got " + rows + "x" + cols);
        long bytes = (long) count * rows * cols;
        if (bytes > Integer.MAX_VALUE - 64) throw s.error(4, count + " images of " + rows + "x" + cols + " are too many to hold in memory");
        byte[] pixels = s.readPayload(IMAGES_HEADER, (int) bytes, count + " images of " + rows + "x" + cols);
        return new IdxImages(count, rows, cols, pixels);
    }

    private static int[] readLabels(Source s) {
        s.expectMagic(LABELS_MAGIC, "IDX unsigned-byte labels");
        int count = s.readDim(4, "label count");
        byte[] raw = s.readPayload(LABELS_HEADER, count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = raw[i] & 0xFF;
        return labels;
    }

    /** An opened file or stream, gzip-transparent, that tracks the offset and phrases errors. */
    private static final class Source implements AutoCloseable {
        private final String name;
        private final InputStream in;
        private final boolean gzip;
        private long offset;
        private long expectedTotal = -1;

        private Source(String name, InputStream raw) throws IOException {
            this.name = name;
            BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
            b.mark(2);
            int m0 = b.read(), m1 = b.read();
            b.reset();
            this.gzip = m0 == 0x1f && m1 == 0x8b;
            this.in = gzip ? new GZIPInputStream(b, 1 << 16) : b;
        }

        static Source open(Path file) {
            if (!Files.isRegularFile(file)) throw new DatasetException(file + ": file not found");
            InputStream raw;
            try {
                raw = Files.newInputStream(file);
            } catch (IOException e) {
                throw new DatasetException(file + ": cannot open: " + e.getMessage(), e);
            }
            return of(file.toString(), raw);
        }

        static Source of(String name, InputStream raw) {
            try {
                return new Source(name, raw);
            } catch (IOException e) {
                closeQuietly(raw);
                throw new DatasetException(name + ": cannot read: " + e.getMessage(), e);
            }
        }

        private String where(long off) { return gzip ? "at byte offset " + off + " of the decompressed data" : "at byte offset " + off; }

        DatasetException error(long off, String what) {
            return new DatasetException(name + ": " + what + " (" + where(off) + ")");
        }

        void expectMagic(int expected, String kind) {
            byte[] b = new byte[4];
            int got = read(b, 0, 4);
            if (got < 4) {
                throw error(got, "truncated header: expected at least 4 bytes for the magic number, file has " + got
                        + (gzip ? " decompressed bytes" : " bytes"));
            }
            int magic = be(b, 0);
            if (magic != expected) {
                String hint = magic == IMAGES_MAGIC ? " (an IDX image file)" : magic == LABELS_MAGIC ? " (an IDX label file)" : "";
                throw error(0, String.format("wrong magic number: expected %d (0x%08X, %s), found %d (0x%08X)%s",
                        expected, expected, kind, magic, magic, hint));
            }
        }

        int readDim(long at, String what) {
            byte[] b = new byte[4];
            int got = read(b, 0, 4);
            if (got < 4) {
                throw error(at + got, "truncated header: expected 4 bytes for the " + what + " at byte offset " + at
                        + ", found " + got);
            }
            int v = be(b, 0);
            if (v < 0) throw error(at, what + " is negative: " + v);
            return v;
        }

        /** Reads the promised payload; memory grows with the bytes actually present, never with the header's claim. */
        byte[] readPayload(int header, int bytes, String what) {
            expectedTotal = (long) header + bytes;
            byte[] data = readUpTo(bytes);
            int got = data.length;
            if (got < bytes) {
                throw error(header + got, "truncated file: the header promises " + what + " = " + bytes + " bytes after the "
                        + header + "-byte header, expected size " + expectedTotal + " bytes" + (gzip ? " decompressed" : "")
                        + ", actual size " + (header + got) + " bytes");
            }
            int extra = read(new byte[1], 0, 1);
            if (extra > 0) {
                throw error(expectedTotal, "file is longer than its header says: expected size " + expectedTotal + " bytes"
                        + (gzip ? " decompressed" : "") + " for " + what + ", found more data");
            }
            return data;
        }

        private byte[] readUpTo(int len) {
            try {
                byte[] data = in.readNBytes(len);
                offset += data.length;
                return data;
            } catch (EOFException | ZipException e) {
                throw error(offset, "corrupt or truncated gzip stream after " + offset + " decompressed bytes, expected size "
                        + expectedTotal + " bytes decompressed (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": read failed " + where(offset) + ": " + e.getMessage(), e);
            }
        }

        /** Reads up to len bytes, stopping only at the end of the data; returns the count read. */
        private int read(byte[] buf, int off, int len) {
            int total = 0;
            try {
                while (total < len) {
                    int n = in.read(buf, off + total, len - total);
                    if (n < 0) break;
                    total += n;
                }
            } catch (EOFException | ZipException e) {
                throw error(offset + total, "corrupt or truncated gzip stream: it ends after " + (offset + total)
                        + " decompressed bytes" + (expectedTotal >= 0 ? ", expected size " + expectedTotal + " bytes decompressed" : "")
                        + " (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": read failed " + where(offset + total) + ": " + e.getMessage(), e);
            }
            offset += total;
            return total;
        }

        private static int be(byte[] b, int i) {
            return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
        }

        @Override
        public void close() { closeQuietly(in); }

        private static void closeQuietly(InputStream s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // reading is done; nothing to lose
            }
        }
    }
}
