package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArchMemoryTest {
    private static float[] enc(float v) {
        float[] e = new float[224];
        java.util.Arrays.fill(e, v);
        return e;
    }

    @Test
    void firstInFirstOutAtCapacity() {
        ArchMemory m = new ArchMemory(3);
        assertNull(m.add(enc(1), 1.0));
        assertNull(m.add(enc(2), 2.0));
        assertNull(m.add(enc(3), 3.0));
        assertEquals(3, m.size());
        ArchMemory.Entry dropped = m.add(enc(4), 4.0);
        assertEquals(1.0, dropped.loss());
        assertEquals(1f, dropped.encoding()[0]);
        assertEquals(2.0, m.add(enc(5), 5.0).loss());
        assertArrayEquals(new double[] {3, 4, 5}, m.labels());
        float[][] e = m.encodings();
        assertEquals(3f, e[0][0]);
        assertEquals(5f, e[2][223]);
        assertEquals(4.0, m.get(1).loss());
        assertEquals(100, new ArchMemory().capacity());
    }

    @Test
    void storesCopies() {
        ArchMemory m = new ArchMemory(2);
        float[] e = enc(0.5f);
        m.add(e, 1.0);
        e[0] = 9f;
        m.encodings()[0][0] = 7f;
        m.get(0).encoding()[0] = 8f;
        assertEquals(0.5f, m.encodings()[0][0]);
    }

    @Test
    void snapshotRestoresContentsAndOrder() {
        ArchMemory m = new ArchMemory(4);
        for (int i = 0; i < 6; i++) m.add(enc(i), i);
        ArchMemory r = ArchMemory.restore(m.snapshot());
        assertEquals(4, r.capacity());
        assertArrayEquals(m.labels(), r.labels());
        assertArrayEquals(m.encodings()[3], r.encodings()[3]);
        r.add(enc(6), 6);
        assertArrayEquals(new double[] {3, 4, 5, 6}, r.labels());
        assertArrayEquals(new double[] {2, 3, 4, 5}, m.labels(), "the snapshot source is independent");
    }

    @Test
    void rejectsBadInput() {
        ArchMemory m = new ArchMemory(2);
        assertThrows(IllegalArgumentException.class, () -> new ArchMemory(0));
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[223], 1.0));
        assertThrows(IllegalArgumentException.class, () -> m.add(enc(0), Double.NaN));
        float[] bad = enc(0);
        bad[5] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> m.add(bad, 1.0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(0));
        assertEquals(0, m.size());
    }
}
