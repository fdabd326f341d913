package org.proxynas.onnx;

/** Runs one step in Java memory: the Java-memory half of the interpreter, also used for constant folding. */
final class HostEval {
    private HostEval() {}

    /** args[i] is input i (null for an omitted optional input). */
    static HostArray run(OnnxProgram.Step step, HostArray[] args) {
        String where = step.where();
        OnnxNode node = step.node();
        return switch (step.op()) {
            case SHAPE -> shapeOf(args[0].shape());
            case GATHER -> HostOps.gather(args[0], args[1], (int) intAttr(node, "axis", 0), where);
            case UNSQUEEZE -> args[0].reshape(HostOps.unsqueezedShape(args[0].shape(), unsqueezeAxes(node, args), where));
            case CONCAT -> HostOps.concat(args, (int) requiredInt(node, "axis"), where);
            case CAST -> HostOps.cast(args[0], requiredInt(node, "to"), where);
            case ADD -> HostOps.binary(HostOps.Binary.ADD, args[0], args[1], where);
            case SUB -> HostOps.binary(HostOps.Binary.SUB, args[0], args[1], where);
            case MUL -> HostOps.binary(HostOps.Binary.MUL, args[0], args[1], where);
            case DIV -> HostOps.binary(HostOps.Binary.DIV, args[0], args[1], where);
            case MAX -> variadic(HostOps.Binary.MAX, args, where);
            case MIN -> variadic(HostOps.Binary.MIN, args, where);
            case EXP -> HostOps.exp(args[0], where);
            case CONSTANT, GEMM, BATCH_NORMALIZATION, RELU, SIGMOID, SLICE ->
                    throw new IllegalStateException(where + " has no Java-memory implementation");
        };
    }

    static HostArray shapeOf(int[] shape) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = shape[i];
        return HostArray.ofLongs(dims, dims.length);
    }

    /** Opset 13 moved Unsqueeze's axes from an attribute to the second input; both are read. */
    static long[] unsqueezeAxes(OnnxNode node, HostArray[] args) {
        if (args.length > 1 && args[1] != null) {
            if (args[1].isFloat()) throw new OnnxFormatException(node.describe() + ": axes must be integers");
            return args[1].longs();
        }
        return node.attribute("axes").map(OnnxAttribute::ints)
                .orElseThrow(() -> new OnnxFormatException(node.describe() + ": no axes (input 1 or attribute)"));
    }

    private static HostArray variadic(HostOps.Binary op, HostArray[] args, String where) {
        HostArray acc = args[0];
        for (int i = 1; i < args.length; i++) acc = HostOps.binary(op, acc, args[i], where);
        return acc;
    }

    static long intAttr(OnnxNode node, String name, long fallback) {
        return node.attribute(name).map(a -> {
            if (a.kind() != OnnxAttribute.Kind.INT) {
                throw new OnnxFormatException(node.describe() + ": attribute '" + name + "' must be an int, got " + a.kind());
            }
            return a.i();
        }).orElse(fallback);
    }

    static long requiredInt(OnnxNode node, String name) {
        if (node.attribute(name).isEmpty()) throw new OnnxFormatException(node.describe() + ": missing attribute '" + name + "'");
        return intAttr(node, name, 0);
    }

    static float floatAttr(OnnxNode node, String name, float fallback) {
        return node.attribute(name).map(a -> {
            if (a.kind() != OnnxAttribute.Kind.FLOAT) {
                throw new OnnxFormatException(node.describe() + ": attribute '" + name + "' must be a float, got " + a.kind());
            }
            return a.f();
        }).orElse(fallback);
    }
}
