package org.proxynas.onnx;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One graph node: operator type, named inputs and outputs (an empty input name is an omitted optional input) and
 * attributes by name.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    public Optional<OnnxAttribute> attribute(String attrName) { return Optional.ofNullable(attributes.get(attrName)); }

    /** How error messages name this node: its op type, name and first output. */
    public String describe() {
        return opType + " node '" + name + "'" + (outputs.isEmpty() ? "" : " (output '" + outputs.getFirst() + "')");
    }
}
