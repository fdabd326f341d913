package org.proxynas.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The branch-free ReLU-backward mask agrees with {@code y > 0f} on every class of float, edge values included. */
class ReluMaskTest {
    @Test
    void maskIsAllOnesExactlyWhenPositive() {
        float[] ys = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -Float.NaN,
                Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0x7fffffff), Float.intBitsToFloat(0xffffffff)};
        for (float y : ys) {
            int expected = y > 0f ? -1 : 0;
            assertEquals(expected, CpuElementwise.positiveMask(y), "mask of " + y + " (bits " + Integer.toHexString(Float.floatToRawIntBits(y)) + ")");
        }
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            float y = Float.intBitsToFloat(r.nextInt());
            assertEquals(y > 0f ? -1 : 0, CpuElementwise.positiveMask(y), "mask of bits " + Integer.toHexString(Float.floatToRawIntBits(y)));
        }
    }
}
