package org.proxynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.proxynas.data.DataFiles.*;

class CifarReaderTest {
    @TempDir Path dir;

    private static final int IMG = CifarReader.IMAGE_BYTES;

    private static void assertMessage(RuntimeException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }

    /** A complete fake CIFAR folder: 2 records per train batch, 3 in the test batch. */
    private void fakeFolder(Path d) {
        byte[] px = pattern(13, IMG);
        for (int b = 0; b < 5; b++) {
            write(d.resolve(CifarReader.TRAIN_FILES.get(b)), cifar(new int[] {2 * b, 2 * b + 1},
                    Arrays.copyOfRange(px, 2 * b * IMG, (2 * b + 2) * IMG)));
        }
        write(d.resolve(CifarReader.TEST_FILE), cifar(new int[] {9, 0, 5}, Arrays.copyOfRange(px, 10 * IMG, 13 * IMG)));
    }

    @Test
    void readsRecordsChannelMajor() {
        byte[] px = pattern(5, IMG);
        Path a = write(dir.resolve("a.bin"), cifar(new int[] {3, 7, 0}, Arrays.copyOfRange(px, 0, 3 * IMG)));
        Path b = write(dir.resolve("b.bin"), cifar(new int[] {9, 1}, Arrays.copyOfRange(px, 3 * IMG, 5 * IMG)));
        ImageSet s = CifarReader.readBatches("c", List.of(a, b));
        assertEquals(5, s.size());
        assertEquals(3, s.channels());
        assertEquals(32, s.height());
        assertEquals(32, s.width());
        assertArrayEquals(new int[] {3, 7, 0, 9, 1}, s.labels());
        assertArrayEquals(px, s.pixels());
        // record 4, green plane (offset 1024), row 2, column 5
        assertEquals((7 * 4 + 1024 + 2 * 32 + 5) & 0xFF, s.pixel(4, 1, 2, 5));
    }

    @Test
    void folderOrSubfolder() {
        fakeFolder(dir);
        ImageSet train = CifarReader.readTrain(dir);
        assertEquals(10, train.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        assertEquals(3, CifarReader.readTest(dir).size());

        Path outer = dir.resolve("outer");
        fakeFolder(outer.resolve(CifarReader.SUBFOLDER));
        assertEquals(outer.resolve(CifarReader.SUBFOLDER), CifarReader.locate(outer));
        Dataset d = Datasets.load("cifar10", outer);
        assertEquals(10, d.train().size());
        assertArrayEquals(new int[] {9, 0, 5}, d.test().labels());
        assertArrayEquals(new float[] {0.4914f, 0.4822f, 0.4465f}, d.normalization().mean());
        assertArrayEquals(new float[] {0.2470f, 0.2435f, 0.2616f}, d.normalization().std());
    }

    @Test
    void missingFilesAreListedWithWhereToGetThem() {
        fakeFolder(dir);
        assertTrue(dir.resolve("data_batch_3.bin").toFile().delete());
        var e = assertThrows(DatasetException.class, () -> CifarReader.locate(dir));
        assertMessage(e, dir.toString(), "data_batch_3.bin", "cifar-10-binary.tar.gz");
        e = assertThrows(DatasetException.class, () -> Datasets.load("cifar10", null));
        assertMessage(e, "--data", "cifar-10-binary.tar.gz");
        e = assertThrows(DatasetException.class, () -> CifarReader.readBatches("x", List.of(dir.resolve("data_batch_3.bin"))));
        assertMessage(e, "data_batch_3.bin", "not found");
    }

    @Test
    void truncatedFileSaysExpectedAndActualSize() {
        byte[] full = cifar(new int[] {1, 2, 3}, pattern(3, IMG));
        Path f = write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(full, 2 * 3073 + 100));
        var e = assertThrows(DatasetException.class, () -> CifarReader.readBatches("t", List.of(f)));
        assertMessage(e, f.toString(), "truncated", "record 2", "expected size 9219", "actual size 6246", "byte offset 6146");

        Path empty = write(dir.resolve("empty.bin"), new byte[0]);
        e = assertThrows(DatasetException.class, () -> CifarReader.readBatches("t", List.of(empty)));
        assertMessage(e, empty.toString(), "empty");
    }

    @Test
    void labelOutOfRangeNamesTheRecord() {
        Path f = write(dir.resolve("bad.bin"), cifar(new int[] {1, 2, 10, 3}, pattern(4, IMG)));
        var e = assertThrows(DatasetException.class, () -> CifarReader.readBatches("t", List.of(f)));
        assertMessage(e, f.toString(), "record 2", "is 10", "expected 0..9", "byte offset 6146");
    }
}
