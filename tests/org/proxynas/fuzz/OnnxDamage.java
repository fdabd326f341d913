package org.proxynas.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Damage to an ONNX model that keeps it a well-formed protobuf, so it reaches the interpreter rather than the
 * wire-format parser: a tensor retyped or reshaped (same element count, so the data still fits the dims), a dimension
 * changed, a graph input retyped or resized, an operator swapped, a node rewired to another value, an attribute
 * changed, a node or an initializer dropped. Works on any model through protobuf's schema-less
 * {@link UnknownFieldSet} with the field numbers of onnx.proto (listed in {@code OnnxReader}).
 */
final class OnnxDamage {
    private static final int MODEL_GRAPH = 7, GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_OP = 4, NODE_ATTRIBUTE = 5;
    private static final int TENSOR_DIMS = 1, TENSOR_TYPE = 2, TENSOR_NAME = 8;
    private static final int ATTR_NAME = 1, ATTR_INT = 3, ATTR_TYPE = 20;
    private static final long[] TYPES = {0, 2, 6, 7, 9, 10, 11, 16, 99};
    private static final String[] OPS = {"Gemm", "Relu", "Sigmoid", "Add", "Mul", "Concat", "Gather", "Slice", "BatchNormalization",
            "Unsqueeze", "Cast", "Shape", "Exp", "Div", "Conv", "Softmax", ""};
    private static final long[] INTS = {-1, 0, 1, 2, 5, 99, -7, Integer.MAX_VALUE, Long.MIN_VALUE};

    private OnnxDamage() {}

    static Mutations.Variant damage(byte[] model, Random r) {
        UnknownFieldSet m = parse(model);
        UnknownFieldSet g = parse(only(m, MODEL_GRAPH));
        int kind = r.nextInt(9);
        return switch (kind) {
            case 0 -> inList(m, g, GRAPH_INITIALIZER, r, t -> setVarint(t, TENSOR_TYPE, TYPES[r.nextInt(TYPES.length)]), "retype-tensor");
            case 1 -> inList(m, g, GRAPH_INITIALIZER, r, t -> reshape(t, r), "reshape-tensor");
            case 2 -> inList(m, g, GRAPH_INITIALIZER, r, t -> redim(t, r), "redim-tensor");
            case 3 -> inList(m, g, GRAPH_INPUT, r, v -> input(v, r), "input");
            case 4 -> inList(m, g, GRAPH_NODE, r, n -> setBytes(n, NODE_OP, ByteString.copyFromUtf8(OPS[r.nextInt(OPS.length)])), "op");
            case 5 -> inList(m, g, GRAPH_NODE, r, n -> rewire(n, g, r), "rewire");
            case 6 -> inList(m, g, GRAPH_NODE, r, n -> attribute(n, r), "attribute");
            case 7 -> drop(m, g, GRAPH_NODE, r, "drop-node");
            default -> drop(m, g, GRAPH_INITIALIZER, r, "drop-initializer");
        };
    }

    // ---- one part of the graph ---------------------------------------------------------------------------------

    /** Replaces element i (drawn) of a repeated message field of the graph with {@code change} of it. */
    private static Mutations.Variant inList(UnknownFieldSet m, UnknownFieldSet g, int field, Random r, UnaryOperator<UnknownFieldSet> change, String how) {
        List<ByteString> items = new ArrayList<>(list(g, field));
        if (items.isEmpty()) return new Mutations.Variant(how + "-none", m.toByteArray());
        int i = r.nextInt(items.size());
        items.set(i, change.apply(parse(items.get(i))).toByteString());
        return new Mutations.Variant(how + "#" + i, withGraph(m, replace(g, field, items)));
    }

    private static Mutations.Variant drop(UnknownFieldSet m, UnknownFieldSet g, int field, Random r, String how) {
        List<ByteString> items = new ArrayList<>(list(g, field));
        if (items.isEmpty()) return new Mutations.Variant(how + "-none", m.toByteArray());
        int i = r.nextInt(items.size());
        items.remove(i);
        return new Mutations.Variant(how + "#" + i, withGraph(m, replace(g, field, items)));
    }

    /** New dims with the same element count (the data still fits), so only the shapes disagree with the graph. */
    private static UnknownFieldSet reshape(UnknownFieldSet t, Random r) {
        List<Long> dims = dims(t);
        long n = 1;
        for (long d : dims) n *= d;
        List<Long> out = new ArrayList<>();
        switch (r.nextInt(3)) {
            case 0 -> out.addAll(dims.reversed());
            case 1 -> out.add(n);
            default -> {
                long f = n % 2 == 0 ? 2 : 1;
                out.add(f);
                out.add(n / f);
            }
        }
        return setVarints(t, TENSOR_DIMS, out);
    }

    /** One dimension changed: the data no longer fits the dims. */
    private static UnknownFieldSet redim(UnknownFieldSet t, Random r) {
        List<Long> dims = new ArrayList<>(dims(t));
        long v = INTS[r.nextInt(INTS.length)];
        if (dims.isEmpty()) dims.add(v);
        else dims.set(r.nextInt(dims.size()), v);
        return setVarints(t, TENSOR_DIMS, dims);
    }

    /** A graph input's element type or one of its dimensions changed (ValueInfo: type 2 > tensor_type 1 > elem_type 1, shape 2). */
    private static UnknownFieldSet input(UnknownFieldSet v, Random r) {
        UnknownFieldSet type = parse(only(v, 2)), tensor = parse(only(type, 1));
        if (r.nextBoolean()) {
            tensor = setVarint(tensor, 1, TYPES[r.nextInt(TYPES.length)]);
        } else {
            UnknownFieldSet shape = parse(only(tensor, 2));
            List<ByteString> dims = new ArrayList<>(list(shape, 1));
            if (!dims.isEmpty()) {
                UnknownFieldSet dim = UnknownFieldSet.newBuilder()
                        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1 + r.nextInt(64)).build()).build();
                dims.set(r.nextInt(dims.size()), dim.toByteString());
            }
            tensor = setBytes(tensor, 2, replace(shape, 1, dims).toByteString());
        }
        return setBytes(v, 2, setBytes(type, 1, tensor.toByteString()).toByteString());
    }

    /** One input of the node now reads another value of the graph (another node's output, or an initializer). */
    private static UnknownFieldSet rewire(UnknownFieldSet n, UnknownFieldSet g, Random r) {
        List<ByteString> inputs = new ArrayList<>(list(n, NODE_INPUT));
        if (inputs.isEmpty()) return n;
        List<ByteString> names = new ArrayList<>();
        for (ByteString node : list(g, GRAPH_NODE)) names.addAll(list(parse(node), NODE_OUTPUT));
        for (ByteString t : list(g, GRAPH_INITIALIZER)) names.addAll(list(parse(t), TENSOR_NAME));
        names.add(ByteString.copyFromUtf8("x_cat"));
        names.add(ByteString.copyFromUtf8("no-such-value"));
        inputs.set(r.nextInt(inputs.size()), names.get(r.nextInt(names.size())));
        return replace(n, NODE_INPUT, inputs);
    }

    /** One attribute's int value or its type changed. */
    private static UnknownFieldSet attribute(UnknownFieldSet n, Random r) {
        List<ByteString> attrs = new ArrayList<>(list(n, NODE_ATTRIBUTE));
        int i = r.nextInt(attrs.size() + 1);
        // i == size: a new int attribute 'axis' the node did not have
        UnknownFieldSet a = i < attrs.size() ? parse(attrs.get(i))
                : setVarint(setBytes(UnknownFieldSet.getDefaultInstance(), ATTR_NAME, ByteString.copyFromUtf8("axis")), ATTR_TYPE, 2);
        if (i == attrs.size()) attrs.add(ByteString.EMPTY);
        a = r.nextBoolean() ? setVarint(a, ATTR_INT, INTS[r.nextInt(INTS.length)]) : setVarint(a, ATTR_TYPE, r.nextInt(16));
        if (r.nextInt(4) == 0) a = setBytes(a, ATTR_NAME, ByteString.copyFromUtf8("axis"));
        attrs.set(i, a.toByteString());
        return replace(n, NODE_ATTRIBUTE, attrs);
    }

    // ---- protobuf plumbing -------------------------------------------------------------------------------------

    private static UnknownFieldSet parse(ByteString b) {
        try {
            return UnknownFieldSet.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the fuzz seed is not a valid ONNX model", e);
        }
    }

    private static UnknownFieldSet parse(byte[] b) { return parse(ByteString.copyFrom(b)); }

    private static ByteString only(UnknownFieldSet s, int field) {
        List<ByteString> l = list(s, field);
        if (l.isEmpty()) throw new IllegalStateException("the fuzz seed has no field " + field);
        return l.getFirst();
    }

    private static List<ByteString> list(UnknownFieldSet s, int field) {
        return s.hasField(field) ? s.getField(field).getLengthDelimitedList() : List.of();
    }

    private static List<Long> dims(UnknownFieldSet t) {
        if (!t.hasField(TENSOR_DIMS)) return List.of();
        UnknownFieldSet.Field f = t.getField(TENSOR_DIMS);
        List<Long> out = new ArrayList<>(f.getVarintList());
        for (ByteString packed : f.getLengthDelimitedList()) {
            try {
                CodedInputStream in = packed.newCodedInput();
                while (!in.isAtEnd()) out.add(in.readInt64());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static UnknownFieldSet replace(UnknownFieldSet s, int field, List<ByteString> items) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        items.forEach(f::addLengthDelimited);
        return s.toBuilder().clearField(field).addField(field, f.build()).build();
    }

    private static UnknownFieldSet setBytes(UnknownFieldSet s, int field, ByteString value) { return replace(s, field, List.of(value)); }

    private static UnknownFieldSet setVarint(UnknownFieldSet s, int field, long value) { return setVarints(s, field, List.of(value)); }

    private static UnknownFieldSet setVarints(UnknownFieldSet s, int field, List<Long> values) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        values.forEach(f::addVarint);
        return s.toBuilder().clearField(field).addField(field, f.build()).build();
    }

    private static byte[] withGraph(UnknownFieldSet m, UnknownFieldSet g) { return setBytes(m, MODEL_GRAPH, g.toByteString()).toByteArray(); }
}
