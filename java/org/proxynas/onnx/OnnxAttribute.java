package org.proxynas.onnx;

import java.util.Arrays;

/**
 * One node attribute. Only the value field its {@link Kind} names is meaningful; the others are zero or empty.
 */
public record OnnxAttribute(String name, Kind kind, float f, long i, String s, OnnxTensor t, float[] floats,
                            long[] ints) {
    /** The ONNX attribute types this reader keeps; the codes are {@code AttributeProto.AttributeType}'s. */
    public enum Kind {
        FLOAT(1), INT(2), STRING(3), TENSOR(4), FLOATS(6), INTS(7);

        private final int code;

        Kind(int code) { this.code = code; }

        static Kind of(int code, String what) {
            for (Kind k : values()) if (k.code == code) return k;
            throw new OnnxFormatException(what + ": unsupported attribute type code " + code
                    + " (supported: float, int, string, tensor, floats, ints)");
        }
    }

    public OnnxAttribute {
        floats = floats.clone();
        ints = ints.clone();
    }

    @Override public float[] floats() { return floats.clone(); }
    @Override public long[] ints() { return ints.clone(); }

    @Override
    public String toString() {
        return name + "=" + switch (kind) {
            case FLOAT -> Float.toString(f);
            case INT -> Long.toString(i);
            case STRING -> "'" + s + "'";
            case TENSOR -> String.valueOf(t);
            case FLOATS -> Arrays.toString(floats);
            case INTS -> Arrays.toString(ints);
        };
    }
}
