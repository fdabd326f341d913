package org.proxynas.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticDataTest {
    private static final SyntheticSpec SMALL = new SyntheticSpec(300, 100, 3, 32, 32, 10, 42);

    @Test
    void deterministicPerSeed() {
        Dataset a = SyntheticData.generate(SMALL), b = SyntheticData.generate(SMALL);
        assertArrayEquals(a.train().pixels(), b.train().pixels());
        assertArrayEquals(a.test().pixels(), b.test().pixels());
        assertArrayEquals(a.train().labels(), b.train().labels());
        Dataset other = SyntheticData.generate(SMALL.withSeed(43));
        assertFalse(java.util.Arrays.equals(a.train().pixels(), other.train().pixels()), "another seed, other images");
        assertFalse(java.util.Arrays.equals(a.train().image(0), a.test().image(0)), "train and test are different draws");
        // growing the set keeps its first images
        Dataset bigger = SyntheticData.generate(SMALL.withSizes(301, 100));
        assertArrayEquals(a.train().image(299), bigger.train().image(299));
    }

    @Test
    void balancedAndUsesTheRange() {
        ImageSet s = SyntheticData.generate(SMALL).train();
        for (int c = 0; c < 10; c++) assertEquals(30, s.classCounts()[c]);
        int min = 255, max = 0;
        for (byte p : s.pixels()) {
            min = Math.min(min, p & 0xFF);
            max = Math.max(max, p & 0xFF);
        }
        assertTrue(min < 40 && max > 215, "pixel range " + min + ".." + max);
        Normalization n = Normalization.compute(s);
        for (int c = 0; c < 3; c++) assertTrue(n.std()[c] > 0.05f, "channel " + c + " varies");
    }

    /**
     * The classes are learnable: the dominant gradient orientation (structure tensor) of an image predicts its class
     * far above chance (10%).
     */
    @Test
    void classesAreSeparableByOrientation() {
        for (SyntheticSpec spec : new SyntheticSpec[] {SMALL, new SyntheticSpec(300, 10, 1, 24, 20, 10, 7)}) {
            ImageSet s = SyntheticData.generate(spec).train();
            int k = s.classes(), correct = 0;
            for (int i = 0; i < s.size(); i++) {
                double sxx = 0, syy = 0, sxy = 0;
                for (int y = 1; y < s.height() - 1; y++) {
                    for (int x = 1; x < s.width() - 1; x++) {
                        double gx = 0, gy = 0;
                        for (int c = 0; c < s.channels(); c++) {
                            gx += s.pixel(i, c, y, x + 1) - s.pixel(i, c, y, x - 1);
                            gy += s.pixel(i, c, y + 1, x) - s.pixel(i, c, y - 1, x);
                        }
                        sxx += gx * gx;
                        syy += gy * gy;
                        sxy += gx * gy;
                    }
                }
                double theta = 0.5 * Math.atan2(2 * sxy, sxx - syy); // gradient direction in (-pi/2, pi/2]
                if (theta < 0) theta += Math.PI;
                int predicted = (int) Math.round(theta / (Math.PI / k)) % k;
                if (predicted == s.label(i)) correct++;
            }
            assertTrue(correct > 0.7 * s.size(), spec + ": orientation predicts " + correct + " of " + s.size());
        }
    }
}
