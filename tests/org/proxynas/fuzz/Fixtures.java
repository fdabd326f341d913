package org.proxynas.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small valid input files for the CLI tests: a Fashion-MNIST IDX folder, a CIFAR-10 binary folder. */
public final class Fixtures {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";

    private Fixtures() {}

    /** An IDX image file: magic 2051, count, rows, cols, then the pixels (image i, byte k = 7i + k mod 256). */
    public static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) b.put((byte) (7 * (i / (rows * cols)) + i % (rows * cols)));
        return b.array();
    }

    /** An IDX label file: magic 2049, count, labels i mod 10. */
    public static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) b.put((byte) (i % 10));
        return b.array();
    }

    /** A folder with the four Fashion-MNIST files: train images/labels, test images/labels. */
    public static Path fashionMnist(Path dir, int train, int test) {
        write(dir.resolve(TRAIN_IMAGES), idxImages(train, 28, 28));
        write(dir.resolve(TRAIN_LABELS), idxLabels(train));
        write(dir.resolve(TEST_IMAGES), idxImages(test, 28, 28));
        write(dir.resolve(TEST_LABELS), idxLabels(test));
        return dir;
    }

    /** CIFAR-10 binary records: label byte (i mod 10) then 3072 pixel bytes. */
    public static byte[] cifar(int records) {
        byte[] b = new byte[records * 3073];
        for (int r = 0; r < records; r++) {
            b[r * 3073] = (byte) (r % 10);
            for (int k = 1; k < 3073; k++) b[r * 3073 + k] = (byte) (r * 31 + k);
        }
        return b;
    }

    /** A CIFAR-10 folder: five training batches and a test batch of the given record counts. */
    public static Path cifar10(Path dir, int perTrainBatch, int test) {
        for (int i = 1; i <= 5; i++) write(dir.resolve("data_batch_" + i + ".bin"), cifar(perTrainBatch));
        write(dir.resolve("test_batch.bin"), cifar(test));
        return dir;
    }

    public static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, data);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
