package org.proxynas.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for the reader and interpreter tests, with protobuf's wire-format writer and the field
 * numbers of onnx.proto (listed in {@link OnnxReader}). Repeated scalars are written packed or one tag per element,
 * as chosen, so both encodings are read.
 */
final class OnnxModelWriter {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private long opset = 13;

    OnnxModelWriter opset(long v) { opset = v; return this; }

    OnnxModelWriter input(String name, int elemType, String... dims) { inputs.add(valueInfo(name, elemType, dims)); return this; }

    OnnxModelWriter output(String name, String... dims) { outputs.add(valueInfo(name, 1, dims)); return this; }

    /** A float initializer in raw_data (the PyTorch exporter's form) or float_data (packed). */
    OnnxModelWriter floats(String name, float[] data, boolean raw, long... dims) {
        initializers.add(message(out -> {
            for (long d : dims) out.writeInt64(1, d);
            out.writeInt32(2, 1);
            out.writeString(8, name);
            if (raw) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float v : data) b.putFloat(v);
                out.writeBytes(9, ByteString.copyFrom(b.array()));
            } else {
                out.writeTag(4, 2);
                out.writeUInt32NoTag(4 * data.length);
                for (float v : data) out.writeFloatNoTag(v);
            }
        }));
        return this;
    }

    /** An int64 initializer in int64_data, one tag per element (unpacked). */
    OnnxModelWriter longs(String name, long[] data, long... dims) {
        initializers.add(message(out -> {
            for (long d : dims) out.writeInt64(1, d);
            out.writeInt32(2, 7);
            out.writeString(8, name);
            for (long v : data) out.writeInt64(7, v);
        }));
        return this;
    }

    record Attr(String name, int type, float f, long i, long[] ints) {
        static Attr i(String name, long v) { return new Attr(name, 2, 0, v, new long[0]); }
        static Attr f(String name, float v) { return new Attr(name, 1, v, 0, new long[0]); }
        static Attr ints(String name, long... v) { return new Attr(name, 7, 0, 0, v); }
    }

    OnnxModelWriter node(String op, List<String> in, String out, Attr... attrs) {
        nodes.add(message(o -> {
            for (String s : in) o.writeString(1, s);
            o.writeString(2, out);
            o.writeString(3, op + "_" + nodes.size());
            o.writeString(4, op);
            for (Attr a : attrs) {
                o.writeBytes(5, ByteString.copyFrom(message(m -> {
                    m.writeString(1, a.name());
                    if (a.type() == 1) m.writeFloat(2, a.f());
                    if (a.type() == 2) m.writeInt64(3, a.i());
                    for (long v : a.ints()) m.writeInt64(8, v);
                    m.writeEnum(20, a.type());
                })));
            }
        }));
        return this;
    }

    byte[] bytes() {
        byte[] graph = message(g -> {
            for (byte[] n : nodes) g.writeBytes(1, ByteString.copyFrom(n));
            g.writeString(2, "test");
            for (byte[] t : initializers) g.writeBytes(5, ByteString.copyFrom(t));
            for (byte[] v : inputs) g.writeBytes(11, ByteString.copyFrom(v));
            for (byte[] v : outputs) g.writeBytes(12, ByteString.copyFrom(v));
        });
        return message(m -> {
            m.writeInt64(1, 7);
            m.writeString(2, "proxynas-test");
            m.writeBytes(7, ByteString.copyFrom(graph));
            m.writeBytes(8, ByteString.copyFrom(message(o -> { o.writeString(1, ""); o.writeInt64(2, opset); })));
        });
    }

    private static byte[] valueInfo(String name, int elemType, String... dims) {
        byte[] shape = message(s -> {
            for (String d : dims) {
                s.writeBytes(1, ByteString.copyFrom(message(dim -> {
                    if (d.chars().allMatch(Character::isDigit)) dim.writeInt64(1, Long.parseLong(d));
                    else dim.writeString(2, d);
                })));
            }
        });
        byte[] tensorType = message(t -> { t.writeInt32(1, elemType); t.writeBytes(2, ByteString.copyFrom(shape)); });
        byte[] type = message(t -> t.writeBytes(1, ByteString.copyFrom(tensorType)));
        return message(v -> { v.writeString(1, name); v.writeBytes(2, ByteString.copyFrom(type)); });
    }

    private interface Body { void write(CodedOutputStream out) throws IOException; }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
