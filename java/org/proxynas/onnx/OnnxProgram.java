package org.proxynas.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph prepared for interpretation: operators resolved (an unsupported one fails here, naming every such
 * node), values numbered, and every node whose inputs are all constants evaluated once (constant folding of the
 * exporter's index and scale constants). Immutable, so one program can back any number of {@link OnnxSession}s,
 * one per thread or backend, without parsing the file again.
 */
public final class OnnxProgram {
    /** One node to run: its operator, the node (for attributes and messages), input and output value slots. */
    record Step(OnnxOp op, OnnxNode node, int[] inputs, int output) {
        String where() { return node.describe(); }
    }

    private final String source;
    private final List<Step> steps;
    private final HostArray[] constants;
    private final List<OnnxValueInfo> inputs;
    private final int[] inputSlots;
    private final String[] outputNames;
    private final int[] outputSlots;

    private OnnxProgram(String source, List<Step> steps, HostArray[] constants, List<OnnxValueInfo> inputs,
                        int[] inputSlots, String[] outputNames, int[] outputSlots) {
        this.source = source;
        this.steps = List.copyOf(steps);
        this.constants = constants;
        this.inputs = List.copyOf(inputs);
        this.inputSlots = inputSlots;
        this.outputNames = outputNames;
        this.outputSlots = outputSlots;
    }

    /** Prepares a parsed graph; {@code source} names it in error messages. */
    public static OnnxProgram compile(OnnxGraph graph, String source) {
        List<String> unsupported = new ArrayList<>();
        for (OnnxNode n : graph.nodes()) {
            if (OnnxOp.of(n).isEmpty()) unsupported.add(n.describe() + (n.domain().isEmpty() ? "" : " in domain " + n.domain()));
        }
        if (!unsupported.isEmpty()) {
            throw new OnnxFormatException(source + ": unsupported ONNX operator in " + String.join(", ", unsupported)
                    + "; this interpreter runs: " + OnnxOp.supportedNames());
        }
        Map<String, Integer> slots = new HashMap<>();
        List<HostArray> values = new ArrayList<>();
        for (OnnxTensor t : graph.initializers().values()) {
            slots.put(t.name(), values.size());
            values.add(HostArray.of(t));
        }
        int[] inputSlots = new int[graph.inputs().size()];
        for (int i = 0; i < inputSlots.length; i++) {
            inputSlots[i] = values.size();
            slots.put(graph.inputs().get(i).name(), values.size());
            values.add(null);
        }
        List<Step> steps = new ArrayList<>();
        for (OnnxNode node : graph.nodes()) {
            OnnxOp op = OnnxOp.of(node).orElseThrow();
            String arity = op.arityProblem(node.inputs());
            if (arity != null) throw new OnnxFormatException(source + ": " + node.describe() + " " + arity);
            if (node.outputs().size() != 1 || node.outputs().getFirst().isEmpty()) {
                throw new OnnxFormatException(source + ": " + node.describe() + " has " + node.outputs().size()
                        + " outputs; the interpreter supports one");
            }
            int[] in = new int[node.inputs().size()];
            boolean allConstant = true;
            for (int i = 0; i < in.length; i++) {
                String name = node.inputs().get(i);
                if (name.isEmpty()) { in[i] = -1; continue; }
                Integer slot = slots.get(name);
                if (slot == null) {
                    throw new OnnxFormatException(source + ": " + node.describe() + " reads '" + name
                            + "', which no earlier node, input or initializer defines");
                }
                in[i] = slot;
                allConstant &= values.get(slot) != null;
            }
            int out = values.size();
            slots.put(node.outputs().getFirst(), out);
            Step step = new Step(op, node, in, out);
            if (op == OnnxOp.CONSTANT) {
                values.add(HostArray.of(node.attribute("value").filter(a -> a.kind() == OnnxAttribute.Kind.TENSOR)
                        .orElseThrow(() -> new OnnxFormatException(source + ": " + node.describe()
                                + " has no tensor attribute 'value' (other Constant forms are not supported)")).t()));
            } else if (allConstant && !op.deviceOnly() && op != OnnxOp.SHAPE) {
                HostArray[] args = new HostArray[in.length];
                for (int i = 0; i < in.length; i++) args[i] = in[i] < 0 ? null : values.get(in[i]);
                try {
                    values.add(HostEval.run(step, args));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw failure(source, step, e);
                }
            } else {
                values.add(null);
                steps.add(step);
            }
        }
        String[] outputNames = new String[graph.outputs().size()];
        int[] outputSlots = new int[outputNames.length];
        for (int i = 0; i < outputNames.length; i++) {
            outputNames[i] = graph.outputs().get(i).name();
            Integer slot = slots.get(outputNames[i]);
            if (slot == null) throw new OnnxFormatException(source + ": graph output '" + outputNames[i] + "' is never produced");
            outputSlots[i] = slot;
        }
        return new OnnxProgram(source, steps, values.toArray(HostArray[]::new), graph.inputs(), inputSlots,
                outputNames, outputSlots);
    }

    /**
     * A step that cannot run on its values (shapes or types that do not fit, an index out of range) as an error
     * naming the file and the node; every step's own checks throw IllegalArgumentException, and an int overflow of a
     * shape an ArithmeticException.
     */
    static OnnxFormatException failure(String source, Step step, RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith(source)) return e instanceof OnnxFormatException f ? f : new OnnxFormatException(m, e);
        return new OnnxFormatException(source + ": " + (m.startsWith(step.where()) ? m : step.where() + ": " + m), e);
    }

    /** Reads and prepares an ONNX file. */
    public static OnnxProgram load(java.nio.file.Path file) {
        return compile(OnnxReader.read(file), "ONNX file " + file);
    }

    public String source() { return source; }

    /** The graph inputs, in order: names, element types and shapes as the file declares them. */
    public List<OnnxValueInfo> inputs() { return inputs; }

    public List<String> outputNames() { return List.of(outputNames); }

    List<Step> steps() { return steps; }

    int slotCount() { return constants.length; }

    /** The folded constant in a slot, or null for a value computed at run time. */
    HostArray constant(int slot) { return constants[slot]; }

    int inputSlot(int i) { return inputSlots[i]; }

    int outputSlot(int i) { return outputSlots[i]; }
}
