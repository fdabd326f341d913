package org.proxynas.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of an ONNX {@code ModelProto} an inference interpreter needs, straight from the protobuf wire
 * format with protobuf-java's {@link CodedInputStream} (no generated classes). Field numbers are those of the
 * public {@code onnx.proto} (ONNX IR version 3 and later); fields not listed here are skipped.
 *
 * <pre>
 * ModelProto:   ir_version 1, producer_name 2, graph 7, opset_import 8
 * OperatorSetIdProto: domain 1, version 2
 * GraphProto:   node 1, initializer 5, input 11, output 12
 * NodeProto:    input 1, output 2, name 3, op_type 4, attribute 5, domain 7
 * AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20
 * TensorProto:  dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, data_location 14
 * ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1, shape 2;
 * TensorShapeProto: dim 1; Dimension: dim_value 1, dim_param 2
 * </pre>
 */
public final class OnnxReader {
    private OnnxReader() {}

    /** Parses a file; errors name it. */
    public static OnnxGraph read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            // protobuf messages are limited to 2 GiB; a bigger file is refused before it is read into memory
            if (size > Integer.MAX_VALUE - 8) throw new OnnxFormatException("ONNX file " + file + ": " + size + " bytes, more than the 2 GiB a protobuf model can hold");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("ONNX file " + file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, "ONNX file " + file);
    }

    /** Parses a stream (e.g. a class-path resource) to its end; errors name {@code source}. */
    public static OnnxGraph read(InputStream in, String source) {
        try {
            return parse(in.readAllBytes(), source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a {@code ModelProto}; every error message starts with {@code source}. */
    public static OnnxGraph parse(byte[] bytes, String source) {
        if (bytes.length == 0) throw new OnnxFormatException(source + ": the file is empty; expected an ONNX model");
        try {
            return model(CodedInputStream.newInstance(bytes), source);
        } catch (IOException e) {
            // protobuf's account of a cut-off message runs to three sentences; the first says it
            String why = String.valueOf(e.getMessage()).contains("ended unexpectedly")
                    ? "the data ends in the middle of a field (truncated, or a length is damaged)" : e.getMessage();
            throw new OnnxFormatException(source + ": not a valid ONNX (protobuf) file (" + bytes.length + " bytes): " + why, e);
        }
    }

    private static OnnxGraph model(CodedInputStream in, String source) throws IOException {
        long irVersion = 0;
        long opset = -1;
        String producer = "";
        ByteString graph = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> irVersion = in.readInt64();
                case 2 -> producer = in.readString();
                case 7 -> graph = in.readBytes();
                case 8 -> {
                    OpsetId id = opsetId(in.readBytes().newCodedInput());
                    if (id.domain.isEmpty() || id.domain.equals("ai.onnx")) opset = id.version;
                }
                default -> in.skipField(tag);
            }
        }
        if (graph == null) throw new OnnxFormatException(source + ": the model has no graph (ModelProto field 7)");
        if (opset < 0) throw new OnnxFormatException(source + ": the model imports no default-domain opset");
        return graph(graph.newCodedInput(), source, irVersion, opset, producer);
    }

    private record OpsetId(String domain, long version) {}

    private static OpsetId opsetId(CodedInputStream in) throws IOException {
        String domain = "";
        long version = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = in.readString();
                case 2 -> version = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new OpsetId(domain, version);
    }

    private static OnnxGraph graph(CodedInputStream in, String source, long irVersion, long opset, String producer)
            throws IOException {
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(node(in.readBytes().newCodedInput(), source, nodes.size()));
                case 5 -> {
                    OnnxTensor t = tensor(in.readBytes().newCodedInput(), source + ": initializer " + initializers.size());
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(valueInfo(in.readBytes().newCodedInput()));
                case 12 -> outputs.add(valueInfo(in.readBytes().newCodedInput()));
                default -> in.skipField(tag);
            }
        }
        // IR versions before 4 list initializers among the inputs too; the interpreter wants the real inputs only.
        inputs.removeIf(v -> initializers.containsKey(v.name()));
        return new OnnxGraph(irVersion, opset, producer, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode node(CodedInputStream in, String source, int index) throws IOException {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        String where = source + ": node " + index;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                case 5 -> {
                    OnnxAttribute a = attribute(in.readBytes().newCodedInput(), where);
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = in.readString();
                default -> in.skipField(tag);
            }
        }
        if (opType.isEmpty()) throw new OnnxFormatException(where + " ('" + name + "') has no op_type");
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute attribute(CodedInputStream in, String where) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = "";
        OnnxTensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> s = in.readBytes().toStringUtf8();
                case 5 -> t = tensor(in.readBytes().newCodedInput(), where + " attribute " + name);
                case 7 -> readFloats(in, tag, floats);
                case 8 -> readInt64s(in, tag, ints);
                case 20 -> type = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        return new OnnxAttribute(name, OnnxAttribute.Kind.of(type, where + " attribute '" + name + "'"), f, i, s, t,
                floats.toArray(), ints.toArray());
    }

    private static OnnxTensor tensor(CodedInputStream in, String where) throws IOException {
        String name = "";
        int dataType = 0;
        LongList dims = new LongList();
        FloatList floatData = new FloatList();
        LongList intData = new LongList();
        ByteString raw = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readInt64s(in, tag, dims);
                case 2 -> dataType = in.readInt32();
                case 4 -> readFloats(in, tag, floatData);
                case 5 -> readInt32s(in, tag, intData);
                case 7 -> readInt64s(in, tag, intData);
                case 8 -> name = in.readString();
                case 9 -> raw = in.readBytes();
                case 14 -> {
                    if (in.readEnum() != 0) {
                        throw new OnnxFormatException(where + " ('" + name + "'): external tensor data is not supported");
                    }
                }
                default -> in.skipField(tag);
            }
        }
        String what = where + " ('" + name + "')";
        OnnxTensor.ElementType type = OnnxTensor.ElementType.of(dataType, what);
        long[] shape = dims.toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new OnnxFormatException(what + ": negative dimension " + d);
            count = Math.multiplyExact(count, d);
        }
        if (count > Integer.MAX_VALUE) throw new OnnxFormatException(what + ": " + count + " elements is too many");
        float[] floats = new float[0];
        long[] longs = new long[0];
        if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int bytesPer = switch (type) { case FLOAT, INT32 -> 4; case INT64 -> 8; case BOOL -> 1; };
            if (raw.size() != count * bytesPer) {
                throw new OnnxFormatException(what + ": raw_data holds " + raw.size() + " bytes, shape needs "
                        + count * bytesPer);
            }
            int n = (int) count;
            switch (type) {
                case FLOAT -> { floats = new float[n]; b.asFloatBuffer().get(floats); }
                case INT32 -> { longs = new long[n]; for (int k = 0; k < n; k++) longs[k] = b.getInt(4 * k); }
                case INT64 -> { longs = new long[n]; b.asLongBuffer().get(longs); }
                case BOOL -> { longs = new long[n]; for (int k = 0; k < n; k++) longs[k] = b.get(k); }
            }
        } else if (type == OnnxTensor.ElementType.FLOAT) {
            floats = floatData.toArray();
            if (floats.length != count) throw countMismatch(what, floats.length, count);
        } else {
            longs = intData.toArray();
            if (longs.length != count) throw countMismatch(what, longs.length, count);
        }
        return new OnnxTensor(name, type, shape, floats, longs);
    }

    private static OnnxFormatException countMismatch(String what, int got, long want) {
        return new OnnxFormatException(what + ": holds " + got + " elements, shape needs " + want);
    }

    private static OnnxValueInfo valueInfo(CodedInputStream in) throws IOException {
        String name = "";
        int elemType = 0;
        List<String> dims = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> {
                    CodedInputStream type = in.readBytes().newCodedInput();
                    for (int t; (t = type.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) != 1) { type.skipField(t); continue; }
                        CodedInputStream tensorType = type.readBytes().newCodedInput();
                        for (int u; (u = tensorType.readTag()) != 0; ) {
                            switch (WireFormat.getTagFieldNumber(u)) {
                                case 1 -> elemType = tensorType.readInt32();
                                case 2 -> shape(tensorType.readBytes().newCodedInput(), dims);
                                default -> tensorType.skipField(u);
                            }
                        }
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxValueInfo(name, elemType, dims);
    }

    private static void shape(CodedInputStream in, List<String> dims) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) != 1) { in.skipField(tag); continue; }
            CodedInputStream dim = in.readBytes().newCodedInput();
            String d = "?";
            for (int t; (t = dim.readTag()) != 0; ) {
                switch (WireFormat.getTagFieldNumber(t)) {
                    case 1 -> d = Long.toString(dim.readInt64());
                    case 2 -> d = dim.readString();
                    default -> dim.skipField(t);
                }
            }
            dims.add(d);
        }
    }

    // Repeated scalars may be packed (one length-delimited run) or not (one tag per element); protobuf allows both.

    private interface Element { void read(CodedInputStream in) throws IOException; }

    private static void repeated(CodedInputStream in, int tag, Element element) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) element.read(in);
            in.popLimit(limit);
        } else {
            element.read(in);
        }
    }

    private static void readFloats(CodedInputStream in, int tag, FloatList out) throws IOException {
        repeated(in, tag, c -> out.add(c.readFloat()));
    }

    private static void readInt64s(CodedInputStream in, int tag, LongList out) throws IOException {
        repeated(in, tag, c -> out.add(c.readInt64()));
    }

    private static void readInt32s(CodedInputStream in, int tag, LongList out) throws IOException {
        repeated(in, tag, c -> out.add(c.readInt32()));
    }

    private static final class FloatList {
        private float[] a = new float[16];
        private int n;

        void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * n);
            a[n++] = v;
        }

        float[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    private static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * n);
            a[n++] = v;
        }

        long[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
