package org.proxynas.onnx;

/** Test models for other packages' tests. */
public final class OnnxTestModels {
    private OnnxTestModels() {}

    /** The interpreter test's small model (inputs idx int32 [batch, 2], t float [batch, 1]; output [batch, 2]). */
    public static byte[] small() { return OnnxInterpreterTest.model(false); }
}
