package org.proxynas.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.AugmentPlan;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BatchLoaderTest {
    private static CpuBackend backend;
    private static DeviceImages data;
    private static final Normalization NORM = new Normalization(new float[] {0.5f, 0.4f}, new float[] {0.2f, 0.3f});
    private static final int N = 103, BATCH = 10;

    @BeforeAll
    static void setUp() {
        backend = new CpuBackend(2);
        data = DeviceImages.upload(backend, DataFiles.indexed(N, 2, 8, 8, 10));
    }

    @AfterAll
    static void tearDown() { backend.close(); }

    private static BatchLoader train(long seed, AugmentOptions aug, boolean dropLast) {
        return BatchLoader.train(data, NORM, BATCH, aug, dropLast, new Rng(seed));
    }

    private static List<Batch> epoch(BatchLoader l) {
        l.beginEpoch();
        List<Batch> out = new ArrayList<>();
        while (l.hasNext()) out.add(l.next());
        return out;
    }

    private static int[] order(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.plan().indices())).toArray();
    }

    private static void assertSamePlan(Batch a, Batch b) {
        AugmentPlan p = a.plan(), q = b.plan();
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a.index(), b.index());
        assertArrayEquals(p.indices(), q.indices(), "indices of batch " + a.index());
        assertArrayEquals(p.cropY(), q.cropY());
        assertArrayEquals(p.cropX(), q.cropX());
        assertArrayEquals(p.flip(), q.flip());
        assertArrayEquals(p.cutY(), q.cutY());
        assertArrayEquals(p.cutX(), q.cutX());
        assertArrayEquals(a.labels(), b.labels());
    }

    @Test
    void uploadIsAnExactCopy() {
        float[] host = data.pixels().toHost();
        byte[] px = data.set().pixels();
        for (int i = 0; i < px.length; i++) assertEquals(px[i] & 0xFF, host[i]);
        assertArrayEquals(new int[] {N, 2, 8, 8}, data.pixels().shape());
    }

    @Test
    void everyImageOncePerEpochAndReshuffled() {
        BatchLoader l = train(1, AugmentOptions.RETRAIN, false);
        assertEquals(11, l.batchesPerEpoch());
        assertEquals(-1, l.epoch());
        assertFalse(l.hasNext());
        List<int[]> orders = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<Batch> batches = epoch(l);
            assertEquals(e, l.epoch());
            assertEquals(11, batches.size());
            assertEquals(3, batches.get(10).size(), "last partial batch included");
            int[] o = order(batches);
            int[] sorted = o.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < N; i++) assertEquals(i, sorted[i], "epoch " + e + ": every index exactly once");
            for (Batch b : batches) {
                assertEquals(e, b.epoch());
                for (int r = 0; r < b.size(); r++) assertEquals(data.set().label(b.plan().indices()[r]), (int) b.labels()[r]);
            }
            orders.add(o);
        }
        assertFalse(Arrays.equals(orders.get(0), orders.get(1)), "reshuffled between epochs");
        assertFalse(Arrays.equals(orders.get(1), orders.get(2)), "reshuffled between epochs");
        int[] identity = new int[N];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, orders.get(0)), "shuffled at all");
        assertThrows(IllegalStateException.class, l::next, "epoch over");
    }

    @Test
    void sameSeedSameBatchesOtherSeedOtherOrder() {
        BatchLoader a = train(7, AugmentOptions.RETRAIN, false), b = train(7, AugmentOptions.RETRAIN, false);
        for (int e = 0; e < 2; e++) {
            List<Batch> x = epoch(a), y = epoch(b);
            for (int i = 0; i < x.size(); i++) assertSamePlan(x.get(i), y.get(i));
        }
        assertFalse(Arrays.equals(order(epoch(train(7, AugmentOptions.NONE, false))), order(epoch(train(8, AugmentOptions.NONE, false)))));
    }

    @Test
    void augmentationDrawsStayInRangeAndOptionsCanBeOff() {
        BatchLoader l = train(3, AugmentOptions.RETRAIN, false);
        boolean anyFlip = false, anyNoFlip = false, anyCrop = false;
        for (Batch b : epoch(l)) {
            AugmentPlan p = b.plan();
            assertEquals(4, p.pad());
            assertEquals(16, p.cutout());
            assertArrayEquals(NORM.mean(), p.mean());
            for (int r = 0; r < b.size(); r++) {
                assertTrue(p.cropY()[r] >= 0 && p.cropY()[r] <= 8 && p.cropX()[r] >= 0 && p.cropX()[r] <= 8);
                assertTrue(p.cutY()[r] >= 0 && p.cutY()[r] < 8 && p.cutX()[r] >= 0 && p.cutX()[r] < 8);
                anyFlip |= p.flip()[r];
                anyNoFlip |= !p.flip()[r];
                anyCrop |= p.cropY()[r] != 4;
            }
        }
        assertTrue(anyFlip && anyNoFlip && anyCrop);

        for (Batch b : epoch(train(3, new AugmentOptions(0, false, 0), false))) {
            AugmentPlan p = b.plan();
            assertEquals(0, p.pad());
            assertEquals(0, p.cutout());
            for (int r = 0; r < b.size(); r++) assertFalse(p.flip()[r] || p.cropY()[r] != 0 || p.cropX()[r] != 0);
        }
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        BatchLoader l = train(1, AugmentOptions.SEARCH, true);
        assertEquals(10, l.batchesPerEpoch());
        List<Batch> batches = epoch(l);
        assertEquals(10, batches.size());
        for (Batch b : batches) assertEquals(BATCH, b.size());
    }

    @Test
    void evalLoaderIsSequentialUnaugmentedAndComplete() {
        BatchLoader l = BatchLoader.eval(data, NORM, 25);
        assertEquals(5, l.batchesPerEpoch());
        for (int e = 0; e < 2; e++) {
            List<Batch> batches = epoch(l);
            int[] o = order(batches);
            for (int i = 0; i < N; i++) assertEquals(i, o[i]);
            assertEquals(3, batches.get(4).size());
        }
        Batch last = epoch(l).get(4);
        Tensor images = backend.allocate(3, 2, 8, 8), labels = backend.allocate(3);
        l.load(last, images, labels);
        float[] got = images.toHost();
        for (int r = 0; r < 3; r++) {
            int img = 100 + r;
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        float expected = (data.set().pixel(img, c, y, x) / 255f - NORM.mean()[c]) / NORM.std()[c];
                        assertEquals(expected, got[((r * 2 + c) * 8 + y) * 8 + x], 1e-5);
                    }
                }
            }
            assertEquals(data.set().label(img), labels.toHost()[r]);
        }
        assertNull(l.state().rng());
    }

    @Test
    void restoreReproducesTheRestOfTheEpochExactly() {
        BatchLoader a = train(11, AugmentOptions.RETRAIN, false);
        epoch(a); // one full epoch first
        a.beginEpoch();
        for (int i = 0; i < 4; i++) a.next();
        LoaderState saved = a.state();
        assertEquals(1, saved.epoch());
        assertEquals(4, saved.position());
        List<Batch> rest = new ArrayList<>();
        while (a.hasNext()) rest.add(a.next());
        List<Batch> nextEpoch = epoch(a);

        // a fresh loader (other seed, never run) restored from the state continues identically
        BatchLoader b = train(999, AugmentOptions.RETRAIN, false);
        b.restore(saved);
        assertEquals(1, b.epoch());
        assertEquals(4, b.position());
        Tensor ia = backend.allocate(BATCH, 2, 8, 8), ib = backend.allocate(BATCH, 2, 8, 8);
        for (Batch x : rest) {
            Batch y = b.next();
            assertSamePlan(x, y);
            if (x.size() == BATCH) {
                a.load(x, ia, null);
                b.load(y, ib, null);
                assertArrayEquals(ia.toHost(), ib.toHost(), "batch " + x.index() + " bit-identical");
            }
        }
        assertFalse(b.hasNext());
        List<Batch> nextB = epoch(b);
        for (int i = 0; i < nextEpoch.size(); i++) assertSamePlan(nextEpoch.get(i), nextB.get(i));

        // the state survives its own copy, and a state from the end of an epoch resumes at the next one
        LoaderState end = b.state();
        assertEquals(end, new LoaderState(end.images(), end.batchSize(), end.epoch(), end.position(), end.epochRng(), end.rng()));
        BatchLoader c = train(5, AugmentOptions.RETRAIN, false);
        c.restore(end);
        assertFalse(c.hasNext());
        List<Batch> x = epoch(b), y = epoch(c);
        for (int i = 0; i < x.size(); i++) assertSamePlan(x.get(i), y.get(i));
    }

    @Test
    void restoreRejectsAStateOfAnotherLoader() {
        BatchLoader a = train(1, AugmentOptions.SEARCH, false);
        a.beginEpoch();
        LoaderState s = a.state();
        BatchLoader other = BatchLoader.train(data, NORM, BATCH + 1, AugmentOptions.SEARCH, false, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> other.restore(s));
        assertTrue(e.getMessage().contains("batches of 10") && e.getMessage().contains("batches of 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.eval(data, NORM, BATCH).restore(s));
    }
}
