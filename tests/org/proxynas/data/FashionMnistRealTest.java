package org.proxynas.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

/** The real Fashion-MNIST files of Debian's dataset-fashion-mnist package, when installed. */
class FashionMnistRealTest {
    private static Dataset d;

    @BeforeAll
    static void load() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR),
                "Fashion-MNIST is not installed at " + FashionMnist.DEBIAN_DIR + " (apt-get install dataset-fashion-mnist)");
        d = Datasets.load("fashion-mnist", null); // no --data: the Debian folder
    }

    @Test
    void sizesShapeAndLabelHistogram() {
        assertEquals("fashion-mnist", d.name());
        assertEquals(60000, d.train().size());
        assertEquals(10000, d.test().size());
        assertEquals(1, d.channels());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertEquals(10, d.classes());
        int[] train = d.train().classCounts(), test = d.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, train[c], "train images of class " + c);
            assertEquals(1000, test[c], "test images of class " + c);
        }
        assertEquals(Normalization.FASHION_MNIST, d.normalization());
    }

    @Test
    void knownFirstRecords() {
        // The first training image of Fashion-MNIST is an ankle boot (9), the first test image too.
        assertEquals(9, d.train().label(0));
        assertEquals(9, d.test().label(0));
        assertEquals(0, d.train().label(1), "the second training image is a T-shirt/top");
        // its top-left pixel is background, the image is not blank
        assertEquals(0, d.train().pixel(0, 0, 0, 0));
        int sum = 0;
        for (byte b : d.train().image(0)) sum += b & 0xFF;
        assertTrue(sum > 10000, "first image has content, pixel sum " + sum);
    }

    @Test
    void meanAndStdMatchThePublishedNormalisation() {
        Normalization n = Normalization.compute(d.train());
        assertEquals(0.2860, n.mean()[0], 5e-4);
        assertEquals(0.3530, n.std()[0], 5e-4);
    }

    @Test
    void explicitDataFolderWorksToo() {
        Dataset again = FashionMnist.load(FashionMnist.DEBIAN_DIR);
        assertArrayEquals(d.test().labels(), again.test().labels());
    }
}
