package org.proxynas.onnx;

import java.util.List;

/**
 * A graph input or output: name, element type code and shape. A dimension is its value as text, or the symbolic
 * name for a dynamic one (e.g. the batch), or "?" where the file gives neither.
 */
public record OnnxValueInfo(String name, int elementType, List<String> dims) {
    public OnnxValueInfo {
        dims = List.copyOf(dims);
    }
}
