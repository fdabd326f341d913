package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.proxynas.space.ArchParams;

class OiwTest {
    /** Step 1: row 0 (normal edge 0) gradient [1, 2, 0...]; row 27 (reduce edge 13) [0, 0, -1, 0...]. */
    private static double[] grad1() {
        double[] g = new double[224];
        g[0] = 1;
        g[1] = 2;
        g[27 * 8 + 2] = -1;
        return g;
    }

    /** Step 2: row 0 gradient [3, 0, 0, 4, 0...]. */
    private static double[] grad2() {
        double[] g = new double[224];
        g[0] = 3;
        g[3] = 4;
        return g;
    }

    // Hand computation. Step 1, row 0: G = [1, 4], ||G|| = sqrt(17) = 4.1231056; w = G / (4.1231056 + 1e-6)
    //   = [0.2425355662, 0.9701422649]; row 27: G = [1], w = 1 / (1 + 1e-6) = 0.999999000001.
    // Step 2, row 0: G = [9, 0, 0, 16], ||G|| = sqrt(337) = 18.3575598; w = [0.4902612129, 0, 0, 0.8715754896].
    private static final double W1_0 = 0.2425355662, W1_1 = 0.9701422649, W1_R27 = 0.999999000001;
    private static final double W2_0 = 0.4902612129, W2_3 = 0.8715754896;

    @Test
    void meanModeTwoStepsByHand() {
        Oiw oiw = new Oiw(OiwMode.MEAN);
        assertNull(oiw.scale(), "no scale before the first update");
        assertEquals(1f, oiw.scaleOrOnes().flat()[17]);
        oiw.update(grad1());
        assertEquals(1 - W1_0, oiw.scale().flat()[0], 1e-7);
        oiw.update(grad2());
        double[] w = oiw.weights();
        assertEquals((W1_0 + W2_0) / 2, w[0], 1e-9);
        assertEquals(W1_1 / 2, w[1], 1e-9);
        assertEquals(0.0, w[2], 0.0);
        assertEquals(W2_3 / 2, w[3], 1e-9);
        assertEquals(W1_R27 / 2, w[27 * 8 + 2], 1e-9);
        assertEquals(0.0, w[8], 0.0, "rows with zero gradient get weight 0");
        ArchParams s = oiw.scale();
        assertEquals(1 - (W1_0 + W2_0) / 2, s.flat()[0], 1e-7);
        assertEquals(1 - W2_3 / 2, s.flat()[3], 1e-7);
        assertEquals(1f, s.flat()[100], 0f);
        assertEquals(2, oiw.updates());
    }

    @Test
    void sumAndSingleModes() {
        Oiw sum = new Oiw(OiwMode.SUM), single = new Oiw(OiwMode.SINGLE);
        for (Oiw o : new Oiw[] {sum, single}) {
            o.update(grad1());
            o.update(grad2());
        }
        assertEquals(W1_0 + W2_0, sum.weights()[0], 1e-9);
        assertEquals(W1_1, sum.weights()[1], 1e-9);
        assertEquals(W2_0, single.weights()[0], 1e-9);
        assertEquals(0.0, single.weights()[1], 0.0);
        assertEquals(0.0, single.weights()[27 * 8 + 2], 0.0, "single keeps only the latest step");
    }

    @Test
    void stateRoundTrip() {
        Oiw a = new Oiw(OiwMode.MEAN);
        a.update(grad1());
        Oiw b = Oiw.restore(a.state());
        a.update(grad2());
        b.update(grad2());
        assertEquals(a.scale(), b.scale());
        assertEquals(a.updates(), b.updates());
        assertThrows(IllegalArgumentException.class, () -> a.update(new double[10]));
    }
}
