package org.proxynas.onnx;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.onnx.OnnxModelWriter.Attr;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX reader and interpreter on a small hand-built model that uses every supported operator the way the
 * NB301 export does (embedding Gathers, input scaling, Concat, Gemm with and without transB, BatchNormalization,
 * the Shape/Slice gated unit, residual Add, Sigmoid, output scaling with Exp/Max/Min), checked against the same
 * computation in double precision. Tolerance 1e-5: fp32 sums of at most 4 terms of O(1) values, about 1e-7
 * relative error each, through an exponential of arguments below 3 (values below 20).
 */
class OnnxInterpreterTest {
    private static final float[] E1 = {0.5f, -1f, 0.25f, 2f, -0.75f, 1.5f};     // [3, 2]
    private static final float[] E2 = {0.1f, -0.2f, 0.3f, 0.7f};                // [4, 1]
    private static final float[] W1 = new float[6 * 4], B1 = new float[6];
    private static final float[] SCALE = new float[6], SHIFT = new float[6], MEAN = new float[6], VAR = new float[6];
    private static final float[] W2 = new float[3 * 2], B2 = {0.05f, -0.1f};   // W2 [K=3, N=2], transB = 0

    static {
        Random r = new Random(7);
        for (float[] a : List.of(W1, B1, SCALE, SHIFT, MEAN, W2)) for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 0.5);
        for (int i = 0; i < VAR.length; i++) VAR[i] = 0.5f + r.nextFloat();
    }

    static byte[] model(boolean unsupported) {
        OnnxModelWriter m = new OnnxModelWriter()
                .input("idx", 6, "batch", "2").input("t", 1, "batch", "1").output("out", "batch", "2")
                .floats("E1", E1, true, 3, 2).floats("E2", E2, false, 4, 1)
                .floats("W1", W1, true, 6, 4).floats("B1", B1, false, 6)
                .floats("scale", SCALE, true, 6).floats("shift", SHIFT, true, 6).floats("mean", MEAN, true, 6)
                .floats("var", VAR, true, 6).floats("W2", W2, false, 3, 2).floats("B2", B2, true, 2)
                .longs("zero", new long[]{0}).longs("one", new long[]{1}).longs("axes1", new long[]{1}, 1)
                .longs("minus1", new long[]{-1}, 1).longs("begin", new long[]{0}, 1).longs("two", new long[]{2}, 1)
                .floats("c1", new float[]{1f}, false).floats("c25", new float[]{2.5f}, false)
                .floats("lo", new float[]{0f}, false, 1).floats("hi", new float[]{10f}, false, 1)
                .node("Gather", List.of("idx", "zero"), "i0", Attr.i("axis", 1))
                .node("Gather", List.of("E1", "i0"), "e1")
                .node("Gather", List.of("idx", "one"), "i1", Attr.i("axis", 1))
                .node("Gather", List.of("E2", "i1"), "e2")
                .node("Sub", List.of("t", "c1"), "ts")
                .node("Cast", List.of("ts"), "tc", Attr.i("to", 1))
                .node("Concat", List.of("e1", "e2", "tc"), "x", Attr.i("axis", 1))
                .node("Gemm", List.of("x", "W1", "B1"), "h", Attr.i("transB", 1), Attr.f("alpha", 1f), Attr.f("beta", 1f))
                .node("BatchNormalization", List.of("h", "scale", "shift", "mean", "var"), "n", Attr.f("epsilon", 1e-3f))
                .node("Shape", List.of("n"), "shape")
                .node("Gather", List.of("shape", "minus1"), "width", Attr.i("axis", 0))
                .node("Div", List.of("width", "two"), "half")
                .node("Mul", List.of("half", "two"), "full")
                .node("Slice", List.of("n", "begin", "half", "minus1"), "left")
                .node("Slice", List.of("n", "half", "full", "minus1"), "right")
                .node("Relu", List.of("right"), "rr")
                .node("Mul", List.of("left", "rr"), "gated")
                .node("Gemm", List.of("gated", "W2", "B2"), "g2")
                .node("Add", List.of("g2", "g2"), "res")
                .node(unsupported ? "Tanh" : "Sigmoid", List.of("res"), "s")
                .node("Gather", List.of("s", "zero"), "s0", Attr.i("axis", 1))
                .node("Mul", List.of("s0", "c25"), "s0m")
                .node("Exp", List.of("s0m"), "s0e")
                .node("Max", List.of("s0e", "lo"), "s0x")
                .node("Min", List.of("s0x", "hi"), "s0y")
                .node("Unsqueeze", List.of("s0y", "axes1"), "o0")
                .node("Gather", List.of("s", "one"), "s1", Attr.i("axis", 1))
                .node("Unsqueeze", List.of("s1", "axes1"), "o1")
                .node("Concat", List.of("o0", "o1"), "out", Attr.i("axis", 1));
        return m.bytes();
    }

    /** The same computation in double precision. */
    private static double[] reference(long i0, long i1, double t) {
        double[] x = {E1[(int) i0 * 2], E1[(int) i0 * 2 + 1], E2[(int) i1], t - 1};
        double[] n = new double[6];
        for (int o = 0; o < 6; o++) {
            double h = B1[o];
            for (int k = 0; k < 4; k++) h += x[k] * W1[o * 4 + k];
            n[o] = (h - MEAN[o]) / Math.sqrt(VAR[o] + 1e-3f) * SCALE[o] + SHIFT[o];
        }
        double[] gated = new double[3];
        for (int j = 0; j < 3; j++) gated[j] = n[j] * Math.max(0, n[3 + j]);
        double[] s = new double[2];
        for (int o = 0; o < 2; o++) {
            double g = B2[o];
            for (int k = 0; k < 3; k++) g += gated[k] * W2[k * 2 + o];
            s[o] = 1 / (1 + Math.exp(-2 * g));
        }
        return new double[]{Math.min(10, Math.max(0, Math.exp(2.5 * s[0]))), s[1]};
    }

    @Test
    void readsTheModel() {
        OnnxGraph g = OnnxReader.parse(model(false), "test model");
        assertEquals(13, g.opsetVersion());
        assertEquals(List.of("idx", "t"), g.inputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(List.of("batch", "2"), g.inputs().get(0).dims());
        assertEquals(List.of(3L, 2L), java.util.Arrays.stream(g.initializers().get("E1").dims()).boxed().toList());
        assertEquals(-0.75f, g.initializers().get("E1").floatAt(4));              // raw_data
        assertEquals(W2[5], g.initializers().get("W2").floatAt(5));               // packed float_data
        assertEquals(1L, g.initializers().get("axes1").longAt(0));               // unpacked int64_data
        assertEquals(29, g.nodes().size());
        assertEquals(1e-3f, g.nodes().get(8).attribute("epsilon").orElseThrow().f());
    }

    @Test
    void runsBatchedAndSingleLikeTheDoubleReference() {
        OnnxProgram p = OnnxProgram.compile(OnnxReader.parse(model(false), "test model"), "test model");
        long[][] idx = {{0, 3}, {2, 1}, {1, 0}, {2, 2}, {0, 0}};
        float[] t = {1f, 3.5f, -2f, 0.25f, 7f};
        try (CpuBackend cpu = new CpuBackend(2); OnnxSession s = new OnnxSession(p, cpu)) {
            for (int batch : new int[]{5, 1, 5}) {   // batch size changes re-shape the kept tensors
                long[] codes = new long[batch * 2];
                float[] ts = new float[batch];
                for (int i = 0; i < batch; i++) { codes[2 * i] = idx[i][0]; codes[2 * i + 1] = idx[i][1]; ts[i] = t[i]; }
                HostArray out = s.run(HostArray.ofLongs(codes, batch, 2), HostArray.ofFloats(ts, batch, 1))[0];
                assertEquals(List.of(batch, 2), java.util.Arrays.stream(out.shape()).boxed().toList());
                for (int i = 0; i < batch; i++) {
                    double[] want = reference(idx[i][0], idx[i][1], t[i]);
                    assertEquals(want[0], out.floats()[2 * i], 1e-5, "row " + i + " column 0");
                    assertEquals(want[1], out.floats()[2 * i + 1], 1e-5, "row " + i + " column 1");
                }
            }
        }
    }

    @Test
    void unsupportedOperatorIsNamedAtCompileTime() {
        OnnxGraph g = OnnxReader.parse(model(true), "test model");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxProgram.compile(g, "test model"));
        assertTrue(e.getMessage().contains("test model") && e.getMessage().contains("Tanh node 'Tanh_")
                && e.getMessage().contains("this interpreter runs: Add, BatchNormalization"), e.getMessage());
    }

    @Test
    void embeddingIndexOutOfRangeIsNamed() {
        OnnxProgram p = OnnxProgram.compile(OnnxReader.parse(model(false), "test model"), "test model");
        try (CpuBackend cpu = new CpuBackend(1); OnnxSession s = new OnnxSession(p, cpu)) {
            OnnxFormatException e = assertThrows(OnnxFormatException.class,
                    () -> s.run(HostArray.ofLongs(new long[]{3, 0}, 1, 2), HostArray.ofFloats(new float[]{1f}, 1, 1)));
            assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("out of range [0, 3)"), e.getMessage());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> s.run(HostArray.ofFloats(new float[]{0, 0}, 1, 2), HostArray.ofFloats(new float[]{1f}, 1, 1)));
            assertTrue(wrongType.getMessage().contains("input 'idx' must be integer"), wrongType.getMessage());
        }
    }

    @Test
    void malformedBytesAreAFormatError() {
        byte[] good = model(false);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxReader.parse(truncated, "half.onnx"));
        assertTrue(e.getMessage().startsWith("half.onnx: "), e.getMessage());
    }
}
