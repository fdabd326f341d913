package org.proxynas.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SplitsTest {
    private static Set<Integer> ids(ImageSet s) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < s.size(); i++) assertTrue(out.add(DataFiles.indexOf(s, i)), "image appears twice in " + s.name());
        return out;
    }

    @Test
    void searchSplitIsFirstAndSecondHalfByIndex() {
        ImageSet all = DataFiles.indexed(11, 1, 2, 2, 3);
        Split s = Splits.search(all);
        assertEquals(5, s.train().size());
        assertEquals(6, s.valid().size());
        for (int i = 0; i < 5; i++) assertEquals(i, DataFiles.indexOf(s.train(), i));
        for (int i = 0; i < 6; i++) assertEquals(5 + i, DataFiles.indexOf(s.valid(), i));
        Set<Integer> a = ids(s.train()), b = ids(s.valid());
        a.retainAll(b);
        assertTrue(a.isEmpty(), "halves overlap in " + a);
        assertEquals(all.label(5), s.valid().label(0));
    }

    @Test
    void searchSplitWithAFraction() {
        ImageSet all = DataFiles.indexed(1000, 1, 2, 2, 10);
        Split s = Splits.search(all, 0.1);
        assertEquals(50, s.train().size());
        assertEquals(50, s.valid().size());
        assertEquals(0, DataFiles.indexOf(s.train(), 0));
        assertEquals(49, DataFiles.indexOf(s.train(), 49));
        assertEquals(500, DataFiles.indexOf(s.valid(), 0));
        assertEquals(549, DataFiles.indexOf(s.valid(), 49));
        Split tiny = Splits.search(all, 1e-6);
        assertEquals(1, tiny.train().size());
        assertEquals(1, tiny.valid().size());
        Split odd = Splits.search(DataFiles.indexed(101, 1, 2, 2, 10), 0.29);
        assertEquals(14, odd.train().size()); // floor(0.29 * 50)
        assertEquals(14, odd.valid().size()); // floor(0.29 * 51)
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Splits.search(all, bad));
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        }
    }

    @Test
    void sizesOfTheRealSplitDefinition() {
        ImageSet fifty = DataFiles.indexed(50000, 1, 1, 2, 10); // CIFAR-10 sized, tiny images
        Split s = Splits.search(fifty);
        assertEquals(25000, s.train().size());
        assertEquals(25000, s.valid().size());
        assertEquals(25000, DataFiles.indexOf(s.valid(), 0));
    }

    @Test
    void retrainSplitIsTrainAndTest() {
        Dataset d = new Dataset("d", DataFiles.indexed(40, 1, 2, 2, 4), DataFiles.indexed(10, 1, 2, 2, 4),
                new Normalization(new float[] {0.5f}, new float[] {0.25f}));
        Split full = Splits.retrain(d);
        assertSame(d.train(), full.train());
        assertSame(d.test(), full.valid());
        Split part = Splits.retrain(d, 0.5);
        assertEquals(20, part.train().size());
        assertEquals(5, part.valid().size());
        assertEquals(19, DataFiles.indexOf(part.train(), 19));
    }
}
