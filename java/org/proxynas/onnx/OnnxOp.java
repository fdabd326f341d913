package org.proxynas.onnx;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ONNX operators the interpreter runs (default domain). Where each runs: {@link #deviceOnly} operators on the
 * backend's kernels; {@link #ADD}, {@link #MUL}, {@link #CONCAT}, {@link #UNSQUEEZE} and {@link #CAST} on the
 * backend when their inputs already live there, else in Java memory; the rest in Java memory (they touch a column
 * or a shape vector, not the network's activations).
 */
enum OnnxOp {
    CONSTANT("Constant"), SHAPE("Shape"), GATHER("Gather"), UNSQUEEZE("Unsqueeze"), CONCAT("Concat"), CAST("Cast"),
    ADD("Add"), SUB("Sub"), MUL("Mul"), DIV("Div"), MAX("Max"), MIN("Min"), EXP("Exp"),
    GEMM("Gemm"), BATCH_NORMALIZATION("BatchNormalization"), RELU("Relu"), SIGMOID("Sigmoid"), SLICE("Slice");

    private final String onnxName;

    OnnxOp(String onnxName) { this.onnxName = onnxName; }

    String onnxName() { return onnxName; }

    /** Operators with no Java-memory implementation: their inputs are moved to the backend. */
    boolean deviceOnly() {
        return this == GEMM || this == BATCH_NORMALIZATION || this == RELU || this == SIGMOID || this == SLICE;
    }

    /** The operator of a node, or empty when this interpreter has none. */
    static java.util.Optional<OnnxOp> of(OnnxNode node) {
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) return java.util.Optional.empty();
        for (OnnxOp op : values()) if (op.onnxName.equals(node.opType())) return java.util.Optional.of(op);
        return java.util.Optional.empty();
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(OnnxOp::onnxName).sorted(String.CASE_INSENSITIVE_ORDER)
                .collect(Collectors.joining(", "));
    }
}
