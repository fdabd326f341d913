package org.proxynas.onnx;

import java.util.Arrays;

/**
 * A constant tensor from an ONNX file (an initializer or a {@code Constant} node's value). Float data is kept as
 * fp32, integer data (int32, int64, bool) widened to long; the other array is empty.
 *
 * @param name  the tensor's name in the graph (empty for an attribute value without one)
 * @param type  element type
 * @param dims  shape; empty for a scalar
 */
public record OnnxTensor(String name, ElementType type, long[] dims, float[] floats, long[] longs) {
    /** The ONNX element types this reader understands; the codes are {@code TensorProto.DataType}'s. */
    public enum ElementType {
        FLOAT(1), INT32(6), INT64(7), BOOL(9);

        private final int code;

        ElementType(int code) { this.code = code; }

        public int code() { return code; }

        /** The type with this code; fails naming the code for anything else (strings, fp16, doubles...). */
        public static ElementType of(int code, String what) {
            for (ElementType t : values()) if (t.code == code) return t;
            throw new OnnxFormatException(what + ": unsupported element type code " + code
                    + " (supported: float=1, int32=6, int64=7, bool=9)");
        }
    }

    public OnnxTensor {
        dims = dims.clone();
        floats = floats.clone();
        longs = longs.clone();
    }

    public boolean isFloat() { return type == ElementType.FLOAT; }

    @Override public long[] dims() { return dims.clone(); }
    @Override public float[] floats() { return floats.clone(); }
    @Override public long[] longs() { return longs.clone(); }

    /** Dimension {@code i}. */
    public long dim(int i) { return dims[i]; }

    public int rank() { return dims.length; }

    /** Float element {@code i} without copying the array. */
    public float floatAt(int i) { return floats[i]; }

    /** Integer element {@code i} without copying the array. */
    public long longAt(int i) { return longs[i]; }

    @Override
    public String toString() { return "OnnxTensor[" + name + " " + type + " " + Arrays.toString(dims) + "]"; }
}
