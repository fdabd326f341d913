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

    /** "x_cat int32[batch_size, 34]" for messages (element types by name where this reader knows them). */
    @Override
    public String toString() {
        String type = switch (elementType) {
            case 1 -> "float";
            case 6 -> "int32";
            case 7 -> "int64";
            case 9 -> "bool";
            default -> "type" + elementType;
        };
        return name + " " + type + dims;
    }
}
