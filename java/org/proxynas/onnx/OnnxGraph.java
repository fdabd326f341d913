package org.proxynas.onnx;

import java.util.List;
import java.util.Map;

/**
 * A parsed ONNX model: the default-domain opset version and the main graph (nodes in file order, which ONNX requires
 * to be topological; initializers by name; the graph inputs that are not initializers; outputs).
 */
public record OnnxGraph(long irVersion, long opsetVersion, String producer, List<OnnxNode> nodes,
                        Map<String, OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                        List<OnnxValueInfo> outputs) {
    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = Map.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
