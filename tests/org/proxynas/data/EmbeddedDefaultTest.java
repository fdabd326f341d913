package org.proxynas.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The embedded default dataset: loaded from the class path, stratified, a faithful copy of the real files. */
class EmbeddedDefaultTest {
    @Test
    void loadsFromTheClassPathStratified() {
        Dataset d = Datasets.load("default", Path.of("/nonexistent")); // --data is ignored: nothing outside the jar
        assertEquals("default", d.name());
        assertEquals(5000, d.train().size());
        assertEquals(1000, d.test().size());
        assertEquals(28, d.height());
        assertEquals(1, d.channels());
        for (int c = 0; c < 10; c++) {
            assertEquals(500, d.train().classCounts()[c], "train class " + c);
            assertEquals(100, d.test().classCounts()[c], "test class " + c);
        }
        assertEquals(Normalization.FASHION_MNIST, d.normalization());
        // halves of the search split stay close to balanced (classes interleave in file order)
        Split s = Splits.search(d.train());
        for (int c = 0; c < 10; c++) {
            assertTrue(s.train().classCounts()[c] > 200 && s.valid().classCounts()[c] > 200,
                    "class " + c + ": " + s.train().classCounts()[c] + " / " + s.valid().classCounts()[c]);
        }
    }

    @Test
    void equalsTheFirstImagesOfEachClassInTheRealFiles() {
        assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR), "needs apt-get install dataset-fashion-mnist");
        Dataset full = FashionMnist.load(null);
        Dataset sub = FashionMnist.embedded();
        check(full.train(), sub.train(), 500);
        check(full.test(), sub.test(), 100);
    }

    /** Walks the real file in order, taking the first k of each class, and compares image by image. */
    private static void check(ImageSet full, ImageSet sub, int k) {
        int[] seen = new int[10];
        int j = 0;
        for (int i = 0; i < full.size() && j < sub.size(); i++) {
            int l = full.label(i);
            if (seen[l]++ >= k) continue;
            assertEquals(l, sub.label(j), "label of subset image " + j + " (source image " + i + ")");
            assertArrayEquals(full.image(i), sub.image(j), "pixels of subset image " + j + " (source image " + i + ")");
            j++;
        }
        assertEquals(sub.size(), j);
        assertEquals(10 * k, j);
    }
}
