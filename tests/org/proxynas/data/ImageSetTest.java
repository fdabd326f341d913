package org.proxynas.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ImageSetTest {
    @Test
    void subsetRangeAndCounts() {
        ImageSet s = DataFiles.indexed(20, 2, 3, 4, 5);
        assertEquals(24, s.imageSize());
        ImageSet sub = s.subset("sub", new int[] {7, 3, 7});
        assertEquals(3, sub.size());
        assertEquals(7, DataFiles.indexOf(sub, 0));
        assertEquals(3, DataFiles.indexOf(sub, 1));
        assertArrayEquals(s.image(7), sub.image(2));
        assertEquals(s.label(3), sub.label(1));
        ImageSet r = s.range("r", 5, 9);
        assertEquals(4, r.size());
        assertEquals(8, DataFiles.indexOf(r, 3));
        int[] counts = s.classCounts();
        assertEquals(20, java.util.Arrays.stream(counts).sum());
        assertEquals(4, counts[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> s.subset("x", new int[] {20}));
        assertThrows(IndexOutOfBoundsException.class, () -> s.range("x", 3, 21));
    }

    @Test
    void inconsistentInputIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", new byte[10], new int[2], 1, 2, 3, 10));
        assertTrue(e.getMessage().contains("12 pixel bytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", new byte[12], new int[] {0, 10}, 1, 2, 3, 10));
        assertTrue(e.getMessage().contains("image 1") && e.getMessage().contains("0..9"), e.getMessage());
    }

    @Test
    void normalisationStatistics() {
        // two pixels per image, one channel: values 0 and 255 -> mean 0.5, std 0.5
        ImageSet s = new ImageSet("n", new byte[] {0, (byte) 255, 0, (byte) 255}, new int[] {0, 1}, 1, 1, 2, 2);
        Normalization n = Normalization.compute(s);
        assertEquals(0.5f, n.mean()[0], 1e-6);
        assertEquals(0.5f, n.std()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[] {0.5f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[] {0.5f, 0.5f}, new float[] {1f}));
    }
}
