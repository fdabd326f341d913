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
    CONSTANT("Constant", 0, 0), SHAPE("Shape", 1, 1), GATHER("Gather", 2, 2), UNSQUEEZE("Unsqueeze", 1, 2), CONCAT("Concat", 1, Integer.MAX_VALUE),
    CAST("Cast", 1, 1), ADD("Add", 2, 2), SUB("Sub", 2, 2), MUL("Mul", 2, 2), DIV("Div", 2, 2), MAX("Max", 1, Integer.MAX_VALUE), MIN("Min", 1, Integer.MAX_VALUE),
    EXP("Exp", 1, 1), GEMM("Gemm", 2, 3), BATCH_NORMALIZATION("BatchNormalization", 5, 5), RELU("Relu", 1, 1), SIGMOID("Sigmoid", 1, 1),
    SLICE("Slice", 3, 5);

    private final String onnxName;
    /** ONNX's input counts (opset 13): the first {@code minInputs} are required, up to {@code maxInputs} in all. */
    private final int minInputs, maxInputs;

    OnnxOp(String onnxName, int minInputs, int maxInputs) {
        this.onnxName = onnxName;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
    }

    String onnxName() { return onnxName; }

    /**
     * Why a node's inputs do not fit the operator (too few or too many, or a required one left empty), or null when
     * they do; checked before anything reads them.
     */
    String arityProblem(java.util.List<String> inputs) {
        if (inputs.size() < minInputs || inputs.size() > maxInputs) {
            String want = minInputs == maxInputs ? Integer.toString(minInputs) : maxInputs == Integer.MAX_VALUE ? "at least " + minInputs : minInputs + " to " + maxInputs;
            return "has " + inputs.size() + " input(s); " + onnxName + " takes " + want;
        }
        for (int i = 0; i < minInputs; i++) if (inputs.get(i).isEmpty()) return "leaves its required input " + i + " empty";
        return null;
    }

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
