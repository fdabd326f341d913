package org.proxynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.proxynas.data.DataFiles.*;

class DatasetsTest {
    @TempDir Path dir;

    @Test
    void unknownNameListsTheKnownOnes() {
        var e = assertThrows(DatasetException.class, () -> Datasets.load("imagenet", null));
        assertTrue(e.getMessage().contains("'imagenet'") && e.getMessage().contains("default, synthetic, fashion-mnist, cifar10"),
                e.getMessage());
    }

    @Test
    void fashionMnistMissingExplainsHowToInstall() {
        var e = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist", dir.resolve("absent")));
        assertTrue(e.getMessage().contains(dir.resolve("absent").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());

        write(dir.resolve("fm/train-images-idx3-ubyte.gz"), new byte[0]);
        e = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist", dir.resolve("fm")));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte") && e.getMessage().contains("t10k-images-idx3-ubyte"),
                e.getMessage());
        assertFalse(e.getMessage().contains("train-images-idx3-ubyte[.gz]"), "present file is not reported missing: " + e.getMessage());
    }

    @Test
    void fashionMnistFromAFolderOfSmallFiles() {
        Path fm = dir.resolve("fm");
        write(fm.resolve("train-images-idx3-ubyte.gz"), gzip(idxImages(IdxReader.IMAGES_MAGIC, 3, 28, 28, pattern(3, 784))));
        write(fm.resolve("train-labels-idx1-ubyte"), idxLabels(IdxReader.LABELS_MAGIC, 3, new int[] {9, 0, 0}));
        write(fm.resolve("t10k-images-idx3-ubyte"), idxImages(IdxReader.IMAGES_MAGIC, 2, 28, 28, pattern(2, 784)));
        write(fm.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {1, 2})));
        Dataset d = Datasets.load("fashion-mnist", fm);
        assertEquals(3, d.train().size());
        assertArrayEquals(new int[] {1, 2}, d.test().labels());
        assertArrayEquals(new float[] {0.2860f}, d.normalization().mean());
        assertArrayEquals(new float[] {0.3530f}, d.normalization().std());

        write(fm.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(IdxReader.LABELS_MAGIC, 2, new int[] {1, 12})));
        var e = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist", fm));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz") && e.getMessage().contains("record 1"), e.getMessage());
    }

    @Test
    void syntheticByName() {
        SyntheticSpec spec = new SyntheticSpec(40, 20, 3, 16, 16, 10, 5);
        Dataset d = Datasets.load("synthetic", null, spec);
        assertEquals(40, d.train().size());
        assertEquals(20, d.test().size());
        assertEquals(16, d.width());
        assertEquals(Normalization.compute(d.train()), d.normalization());
    }
}
