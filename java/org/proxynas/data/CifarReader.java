package org.proxynas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of the CIFAR-10 binary version ({@code cifar-10-binary.tar.gz}): each file is a sequence of 3073-byte
 * records, one label byte (0..9) followed by 3072 pixel bytes, channel-major 3x32x32 (R plane, G plane, B plane,
 * each row-major), which is exactly NCHW.
 */
public final class CifarReader {
    public static final int CHANNELS = 3, SIZE = 32, CLASSES = 10;
    public static final int IMAGE_BYTES = CHANNELS * SIZE * SIZE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String SUBFOLDER = "cifar-10-batches-bin";
    public static final String DOWNLOAD = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    private CifarReader() {}

    /**
     * The folder that holds the .bin files: {@code dir} itself or its {@code cifar-10-batches-bin/} subfolder.
     * Throws a {@link DatasetException} naming the missing files and where to get them otherwise.
     */
    public static Path locate(Path dir) {
        if (dir == null) {
            throw new DatasetException("cifar10 needs --data DIR: a folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin"
                    + " (or its cifar-10-batches-bin/ subfolder); download the binary version from " + DOWNLOAD
                    + " and unpack it with tar xzf");
        }
        for (Path candidate : List.of(dir, dir.resolve(SUBFOLDER))) {
            if (missing(candidate).isEmpty()) return candidate;
        }
        Path reported = Files.isDirectory(dir.resolve(SUBFOLDER)) ? dir.resolve(SUBFOLDER) : dir;
        String what = Files.isDirectory(dir) ? "missing " + String.join(", ", missing(reported))
                : Files.exists(dir) ? "it is a file; --data takes the folder that holds the .bin files" : "folder does not exist";
        throw new DatasetException(reported + ": not a CIFAR-10 binary folder (" + what + "). Download the binary version from "
                + DOWNLOAD + ", unpack it (tar xzf cifar-10-binary.tar.gz) and pass --data with the folder that holds "
                + SUBFOLDER + "/ or the .bin files");
    }

    private static List<String> missing(Path dir) {
        List<String> names = new ArrayList<>(TRAIN_FILES);
        names.add(TEST_FILE);
        names.removeIf(n -> Files.isRegularFile(dir.resolve(n)));
        return names;
    }

    /** The 50000 training images of a CIFAR-10 folder (see {@link #locate}). */
    public static ImageSet readTrain(Path dir) {
        Path d = locate(dir);
        return readBatches("cifar10-train", TRAIN_FILES.stream().map(d::resolve).toList());
    }

    /** The 10000 test images of a CIFAR-10 folder. */
    public static ImageSet readTest(Path dir) {
        return readBatches("cifar10-test", List.of(locate(dir).resolve(TEST_FILE)));
    }

    /** Concatenates the records of the given batch files, in order. */
    public static ImageSet readBatches(String name, List<Path> files) {
        long records = 0;
        for (Path f : files) records += size(f) / RECORD_BYTES; // exact once readFile has validated the size
        if (records * IMAGE_BYTES > Integer.MAX_VALUE - 64) throw new DatasetException(name + ": " + records + " records are too many");
        byte[] pixels = new byte[(int) records * IMAGE_BYTES];
        int[] labels = new int[(int) records];
        int n = 0;
        for (Path f : files) {
            byte[] b = readFile(f);
            for (int r = 0; r < b.length / RECORD_BYTES; r++, n++) {
                int at = r * RECORD_BYTES;
                labels[n] = b[at] & 0xFF;
                System.arraycopy(b, at + 1, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        if (n != labels.length) {
            pixels = java.util.Arrays.copyOf(pixels, n * IMAGE_BYTES);
            labels = java.util.Arrays.copyOf(labels, n);
        }
        return new ImageSet(name, pixels, labels, CHANNELS, SIZE, SIZE, CLASSES);
    }

    private static long size(Path f) {
        if (!Files.isRegularFile(f)) throw new DatasetException(f + ": file not found");
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new DatasetException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads and validates one batch file: a whole number of records, every label in 0..9. */
    static byte[] readFile(Path f) {
        if (!Files.isRegularFile(f)) throw new DatasetException(f + ": file not found");
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new DatasetException(f + ": cannot read: " + e.getMessage(), e);
        }
        if (b.length == 0) throw DatasetException.at(f.toString(), 0, "empty file: expected records of " + RECORD_BYTES + " bytes");
        int whole = b.length / RECORD_BYTES, rest = b.length % RECORD_BYTES;
        if (rest != 0) {
            long expected = (long) (whole + 1) * RECORD_BYTES;
            throw DatasetException.at(f.toString(), (long) whole * RECORD_BYTES, "truncated file: record " + whole + " has only " + rest
                    + " of its " + RECORD_BYTES + " bytes; expected size " + expected + " bytes (a multiple of " + RECORD_BYTES
                    + "), actual size " + b.length + " bytes");
        }
        for (int r = 0; r < whole; r++) {
            int label = b[r * RECORD_BYTES] & 0xFF;
            if (label >= CLASSES) {
                throw DatasetException.at(f.toString(), (long) r * RECORD_BYTES, "label of record " + r + " is " + label
                        + ", expected 0.." + (CLASSES - 1));
            }
        }
        return b;
    }
}
