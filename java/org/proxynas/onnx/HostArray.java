package org.proxynas.onnx;

import java.util.Arrays;

/**
 * A tensor held in Java memory during interpretation: graph inputs, constants, shape arithmetic and the small
 * element-wise pre- and post-processing around the device part. Exactly one of {@code floats} (fp32) and
 * {@code longs} (every integer type) is non-null. Arrays are shared, not copied: values are never modified once
 * made.
 */
public record HostArray(int[] shape, float[] floats, long[] longs) {
    public HostArray {
        if ((floats == null) == (longs == null)) throw new IllegalArgumentException("exactly one of floats and longs");
        long n = size(shape);
        int len = floats != null ? floats.length : longs.length;
        if (n != len) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + len);
    }

    public static HostArray ofFloats(float[] data, int... shape) { return new HostArray(shape.clone(), data, null); }

    public static HostArray ofLongs(long[] data, int... shape) { return new HostArray(shape.clone(), null, data); }

    static HostArray of(OnnxTensor t) {
        int[] shape = new int[t.rank()];
        for (int i = 0; i < shape.length; i++) shape[i] = Math.toIntExact(t.dim(i));
        return t.isFloat() ? ofFloats(t.floats(), shape) : ofLongs(t.longs(), shape);
    }

    public boolean isFloat() { return floats != null; }

    public int rank() { return shape.length; }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The same data under another shape. */
    HostArray reshape(int[] newShape) { return new HostArray(newShape, floats, longs); }

    @Override
    public String toString() { return (isFloat() ? "float" : "int") + Arrays.toString(shape); }
}
