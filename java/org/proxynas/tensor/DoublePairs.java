package org.proxynas.tensor;

/**
 * Doubles kept in an fp32 tensor as two floats each, low word first: the bytes of a little-endian double array, so
 * a CUDA kernel reads and writes them as {@code double *}. The floats are bit patterns, not values: only copies and
 * raw-bit conversions touch them (on x86-64 and AArch64 a float bit pattern, NaN or not, survives both).
 */
public final class DoublePairs {
    private DoublePairs() {}

    /** Double i of raw. */
    public static double get(float[] raw, int i) {
        long lo = Float.floatToRawIntBits(raw[2 * i]) & 0xFFFFFFFFL, hi = Float.floatToRawIntBits(raw[2 * i + 1]);
        return Double.longBitsToDouble(hi << 32 | lo);
    }

    /** Double i of raw = value. */
    public static void set(float[] raw, int i, double value) {
        long bits = Double.doubleToRawLongBits(value);
        raw[2 * i] = Float.intBitsToFloat((int) bits);
        raw[2 * i + 1] = Float.intBitsToFloat((int) (bits >>> 32));
    }

    /** Every double of raw. */
    public static double[] decode(float[] raw) {
        double[] out = new double[raw.length / 2];
        for (int i = 0; i < out.length; i++) out[i] = get(raw, i);
        return out;
    }
}
