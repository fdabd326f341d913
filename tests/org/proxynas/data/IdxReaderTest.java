package org.proxynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;
import static org.proxynas.data.DataFiles.*;

class IdxReaderTest {
    @TempDir Path dir;

    private static final int N = 5, R = 4, CC = 3;

    private Path images(String name, boolean gz) {
        byte[] raw = idxImages(IdxReader.IMAGES_MAGIC, N, R, CC, pattern(N, R * CC));
        return write(dir.resolve(name), gz ? gzip(raw) : raw);
    }

    private Path labels(String name, boolean gz, int... labels) {
        byte[] raw = idxLabels(IdxReader.LABELS_MAGIC, labels.length, labels);
        return write(dir.resolve(name), gz ? gzip(raw) : raw);
    }

    private static void assertMessage(DatasetException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }

    @Test
    void readsRawAndGzippedAlike() {
        for (boolean gz : new boolean[] {false, true}) {
            // the name does not decide: a gzipped file without .gz and a raw one with .gz
            Path img = images(gz ? "imgs" : "imgs.gz", gz);
            Path lbl = labels(gz ? "lbls" : "lbls.gz", gz, 3, 0, 9, 1, 4);
            ImageSet s = IdxReader.readImageSet("t", img, lbl, 10);
            assertEquals(N, s.size());
            assertEquals(1, s.channels());
            assertEquals(R, s.height());
            assertEquals(CC, s.width());
            assertArrayEquals(new int[] {3, 0, 9, 1, 4}, s.labels());
            assertArrayEquals(pattern(N, R * CC), s.pixels());
            assertEquals((7 * 2 + 1 * CC + 2) & 0xFF, s.pixel(2, 0, 1, 2), "row-major pixel of image 2 at (1,2)");
        }
    }

    @Test
    void emptySetIsFine() {
        Path img = write(dir.resolve("e-img"), idxImages(IdxReader.IMAGES_MAGIC, 0, 28, 28, new byte[0]));
        Path lbl = write(dir.resolve("e-lbl"), idxLabels(IdxReader.LABELS_MAGIC, 0, new int[0]));
        assertEquals(0, IdxReader.readImageSet("e", img, lbl, 10).size());
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope-idx3-ubyte.gz");
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertMessage(e, f.toString(), "not found");
    }

    @Test
    void wrongMagicSaysExpectedAndFound() {
        Path lbl = labels("labels-as-images", false, 1, 2);
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImages(lbl));
        assertMessage(e, lbl.toString(), "wrong magic", "expected 2051", "found 2049", "byte offset 0");

        Path img = images("images-as-labels.gz", true);
        e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(img));
        assertMessage(e, img.toString(), "expected 2049", "found 2051", "decompressed");

        Path junk = write(dir.resolve("junk"), "hello world, not idx".getBytes());
        e = assertThrows(DatasetException.class, () -> IdxReader.readImages(junk));
        assertMessage(e, junk.toString(), "expected 2051", "found 1751477356");
    }

    @Test
    void truncatedRawFileSaysExpectedAndActualSize() {
        byte[] full = idxImages(IdxReader.IMAGES_MAGIC, N, R, CC, pattern(N, R * CC));
        Path f = write(dir.resolve("short-images"), Arrays.copyOf(full, full.length - 7));
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        int expected = 16 + N * R * CC;
        assertMessage(e, f.toString(), "truncated", "expected size " + expected, "actual size " + (expected - 7),
                "byte offset " + (expected - 7));

        Path h = write(dir.resolve("short-header"), Arrays.copyOf(full, 10));
        e = assertThrows(DatasetException.class, () -> IdxReader.readImages(h));
        assertMessage(e, h.toString(), "truncated header", "row count", "byte offset 8");

        byte[] lfull = idxLabels(IdxReader.LABELS_MAGIC, 4, new int[] {1, 2, 3, 4});
        Path l = write(dir.resolve("short-labels"), Arrays.copyOf(lfull, lfull.length - 1));
        e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(l));
        assertMessage(e, l.toString(), "expected size 12", "actual size 11");
    }

    @Test
    void truncatedGzipFiles() {
        byte[] full = idxImages(IdxReader.IMAGES_MAGIC, N, R, CC, pattern(N, R * CC));
        // a complete gzip stream of too little data
        Path f = write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, full.length - 5)));
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        int expected = 16 + N * R * CC;
        assertMessage(e, f.toString(), "expected size " + expected, "actual size " + (expected - 5), "decompressed");

        // a gzip stream cut short (a partial download)
        byte[] gz = gzip(full);
        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12));
        e = assertThrows(DatasetException.class, () -> IdxReader.readImages(cut));
        assertMessage(e, cut.toString(), "truncated");
    }

    @Test
    void trailingDataIsAnError() {
        byte[] full = idxImages(IdxReader.IMAGES_MAGIC, N, R, CC, pattern(N, R * CC));
        Path f = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3));
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertMessage(e, f.toString(), "expected size " + full.length, "byte offset " + full.length);
    }

    @Test
    void countDisagreementNamesBothFiles() {
        Path img = images("img", false);
        Path lbl = labels("lbl", true, 1, 2, 3, 4);
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImageSet("t", img, lbl, 10));
        assertMessage(e, img.toString(), lbl.toString(), N + " images", "4 labels");
    }

    @Test
    void labelOutOfRangeNamesTheRecord() {
        Path img = images("img", false);
        Path lbl = labels("lbl", false, 1, 2, 3, 10, 4);
        var e = assertThrows(DatasetException.class, () -> IdxReader.readImageSet("t", img, lbl, 10));
        assertMessage(e, lbl.toString(), "record 3", "is 10", "expected 0..9", "byte offset 11");
    }
}
