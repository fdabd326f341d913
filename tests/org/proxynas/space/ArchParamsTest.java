package org.proxynas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;

class ArchParamsTest {
    @Test
    void initIsSmallGaussianAndSeeded() {
        ArchParams a = ArchParams.init(new Rng(3));
        assertEquals(ArchParams.init(new Rng(3)), a);
        assertNotEquals(ArchParams.init(new Rng(4)), a);
        double sum = 0, sq = 0;
        for (float v : a.flat()) { sum += v; sq += (double) v * v; }
        double std = Math.sqrt(sq / ArchParams.SIZE - Math.pow(sum / ArchParams.SIZE, 2));
        assertTrue(std > 0.7e-3 && std < 1.3e-3, "std " + std);
    }

    @Test
    void layoutCopyAndViews() {
        ArchParams a = ArchParams.zeros();
        a.set(CellType.REDUCE, 13, 7, 2.5f);
        a.set(CellType.NORMAL, 1, 2, -1f);
        assertEquals(2.5f, a.flat()[ArchParams.SIZE - 1]);
        assertEquals(-1f, a.flat()[8 + 2]);
        assertEquals(2.5f, a.matrix(CellType.REDUCE)[13][7]);

        ArchParams c = a.copy();
        assertEquals(a, c);
        c.flat()[0] = 9f; // the view is live, and the copy independent
        assertEquals(9f, c.get(CellType.NORMAL, 0, 0));
        assertEquals(0f, a.get(CellType.NORMAL, 0, 0));
        assertNotEquals(a, c);
        assertSame(a.flat(), a.flat());

        ArchParams m = ArchParams.of(a.matrix(CellType.NORMAL), a.matrix(CellType.REDUCE));
        assertEquals(a, m);
        a.copyFrom(c);
        assertEquals(c, a);
        assertEquals(a.hashCode(), c.hashCode());
    }
}
