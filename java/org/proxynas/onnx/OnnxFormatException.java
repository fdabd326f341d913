package org.proxynas.onnx;

/** An ONNX file this reader cannot use: malformed protobuf, a missing field, an unsupported type or operator. */
public final class OnnxFormatException extends IllegalArgumentException {
    public OnnxFormatException(String message) { super(message); }

    public OnnxFormatException(String message, Throwable cause) { super(message, cause); }
}
