package org.proxynas.onnx;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;

/**
 * Runs an {@link OnnxProgram} on a {@link Backend}: the dense layers, batch norms and activations on its
 * {@link Kernels} (fp32 [batch, features] tensors), shape arithmetic, embedding look-ups and output scaling in Java
 * memory ({@link HostEval}). Weights are uploaded once, on first use; activation tensors are kept for the next call
 * of the same batch size. Not thread-safe: use one session per thread (sessions over one program share its
 * weights in Java memory).
 */
public final class OnnxSession implements AutoCloseable {
    private final OnnxProgram program;
    private final Backend backend;
    private final Kernels k;
    /** Constants uploaded to the backend, by slot (Gemm weights stored [out, in] as linearForward reads them). */
    private final Tensor[] uploaded;
    /** Gemm weights with transB = 0, uploaded transposed ([out, in]); kept apart in case the constant is reused. */
    private final Tensor[] transposed;
    /** Activation tensors by output slot, reused while the shape stays the same. */
    private final Tensor[] work;
    private Object[] env;

    public OnnxSession(OnnxProgram program, Backend backend) {
        this.program = program;
        this.backend = backend;
        this.k = backend.kernels();
        this.uploaded = new Tensor[program.slotCount()];
        this.transposed = new Tensor[program.slotCount()];
        this.work = new Tensor[program.slotCount()];
    }

    public OnnxProgram program() { return program; }

    /**
     * Runs the graph. {@code inputs[i]} is graph input i ({@link OnnxProgram#inputs()}): integer inputs as longs,
     * float inputs as floats. Returns the graph outputs in order.
     */
    public HostArray[] run(HostArray... inputs) {
        if (inputs.length != program.inputs().size()) {
            throw new IllegalArgumentException(program.source() + ": the graph takes " + program.inputs().size()
                    + " inputs, got " + inputs.length);
        }
        env = new Object[program.slotCount()];
        for (int i = 0; i < inputs.length; i++) {
            OnnxValueInfo info = program.inputs().get(i);
            boolean wantFloat = info.elementType() == OnnxTensor.ElementType.FLOAT.code();
            if (inputs[i].isFloat() != wantFloat) {
                throw new IllegalArgumentException(program.source() + ": input '" + info.name() + "' must be "
                        + (wantFloat ? "float" : "integer") + ", got " + inputs[i]);
            }
            env[program.inputSlot(i)] = inputs[i];
        }
        for (OnnxProgram.Step s : program.steps()) {
            try {
                env[s.output()] = execute(s);
            } catch (IllegalArgumentException | ArithmeticException e) {
                env = null;
                throw OnnxProgram.failure(program.source(), s, e);
            }
        }
        HostArray[] out = new HostArray[program.outputNames().size()];
        for (int i = 0; i < out.length; i++) out[i] = host(program.outputSlot(i));
        env = null;
        return out;
    }

    private Object execute(OnnxProgram.Step s) {
        int[] in = s.inputs();
        return switch (s.op()) {
            case GEMM -> gemm(s);
            case BATCH_NORMALIZATION -> batchNorm(s);
            case RELU -> {
                Tensor x = device(in[0]);
                Tensor y = work(s.output(), x.shape());
                k.relu(x, y);
                yield y;
            }
            case SIGMOID -> {
                Tensor x = device(in[0]);
                Tensor y = work(s.output(), x.shape());
                k.sigmoid(x, y);
                yield y;
            }
            case SLICE -> slice(s);
            case ADD, MUL -> {
                if (env(in[0]) instanceof Tensor a && env(in[1]) instanceof Tensor b && a.sameShape(b)) {
                    Tensor y = work(s.output(), a.shape());
                    if (s.op() == OnnxOp.MUL) k.mul(a, b, y, false);
                    else k.weightedSum(new Tensor[]{a, b}, new float[]{1f, 1f}, y, false);
                    yield y;
                }
                yield hostStep(s);
            }
            case CONCAT -> concat(s);
            case UNSQUEEZE -> {
                if (env(in[0]) instanceof Tensor x) {
                    HostArray[] args = {null, in.length > 1 && in[1] >= 0 ? host(in[1]) : null};
                    yield x.reshape(HostOps.unsqueezedShape(x.shape(), HostEval.unsqueezeAxes(s.node(), args), s.where()));
                }
                yield hostStep(s);
            }
            case CAST -> env(in[0]) instanceof Tensor x && HostEval.requiredInt(s.node(), "to") == 1 ? x : hostStep(s);
            case SHAPE -> HostEval.shapeOf(env(in[0]) instanceof Tensor t ? t.shape() : ((HostArray) env(in[0])).shape());
            case GATHER, SUB, DIV, MAX, MIN, EXP -> hostStep(s);
            case CONSTANT -> throw new IllegalStateException("constants are folded at compile time");
        };
    }

    private Object hostStep(OnnxProgram.Step s) {
        HostArray[] args = new HostArray[s.inputs().length];
        for (int i = 0; i < args.length; i++) args[i] = s.inputs()[i] < 0 ? null : host(s.inputs()[i]);
        return HostEval.run(s, args);
    }

    /** Gemm as linearForward: Y = A B^T + C with A on the backend, B a constant, alpha = beta = 1, C a vector. */
    private Tensor gemm(OnnxProgram.Step s) {
        OnnxNode n = s.node();
        if (HostEval.intAttr(n, "transA", 0) != 0 || HostEval.floatAttr(n, "alpha", 1f) != 1f
                || HostEval.floatAttr(n, "beta", 1f) != 1f) {
            throw new OnnxFormatException(program.source() + ": " + s.where()
                    + ": only Gemm with transA = 0, alpha = 1 and beta = 1 is supported");
        }
        boolean transB = HostEval.intAttr(n, "transB", 0) != 0;
        Tensor a = device(s.inputs()[0]);
        Tensor w = weight(s, 1, transB);
        int out = w.dim(0);
        Tensor bias = null;
        if (s.inputs().length > 2 && s.inputs()[2] >= 0) {
            bias = constantTensor(s, 2);
            if (bias.rank() != 1 || bias.dim(0) != out) {
                throw new OnnxFormatException(program.source() + ": " + s.where() + ": bias C must be a vector of "
                        + out + ", got " + Arrays.toString(bias.shape()));
            }
        }
        if (a.rank() != 2 || a.dim(1) != w.dim(1)) {
            throw new OnnxFormatException(program.source() + ": " + s.where() + ": input " + Arrays.toString(a.shape())
                    + " does not match weight [" + w.dim(0) + ", " + w.dim(1) + "]");
        }
        Tensor y = work(s.output(), a.dim(0), out);
        k.linearForward(a, w, bias, y);
        return y;
    }

    /** Inference-mode BatchNormalization with the node's epsilon. */
    private Tensor batchNorm(OnnxProgram.Step s) {
        if (HostEval.intAttr(s.node(), "training_mode", 0) != 0) {
            throw new OnnxFormatException(program.source() + ": " + s.where() + ": training_mode is not supported");
        }
        Tensor x = device(s.inputs()[0]);
        Tensor y = work(s.output(), x.shape());
        k.batchNormEvalForward(x, constantTensor(s, 1), constantTensor(s, 2), constantTensor(s, 3),
                constantTensor(s, 4), HostEval.floatAttr(s.node(), "epsilon", 1e-5f), y);
        return y;
    }

    /** Slice of a [batch, features] tensor along the feature axis with step 1, as a channel copy. */
    private Tensor slice(OnnxProgram.Step s) {
        int[] in = s.inputs();
        Tensor x = device(in[0]);
        long[] starts = host(in[1]).longs(), ends = host(in[2]).longs();
        long[] axes = in.length > 3 && in[3] >= 0 ? host(in[3]).longs() : new long[]{0};
        long[] steps = in.length > 4 && in[4] >= 0 ? host(in[4]).longs() : new long[]{1};
        int axis = starts.length == 1 && axes.length == 1 ? (int) (axes[0] < 0 ? axes[0] + x.rank() : axes[0]) : -1;
        if (x.rank() != 2 || axis != 1 || ends.length != 1 || steps.length != 1 || steps[0] != 1) {
            throw new OnnxFormatException(program.source() + ": " + s.where() + ": only a step-1 Slice of one "
                    + "[batch, features] tensor along axis 1 runs on the backend (got shape " + Arrays.toString(x.shape())
                    + ", axes " + Arrays.toString(axes) + ", steps " + Arrays.toString(steps) + ")");
        }
        int dim = x.dim(1);
        int start = clamp(starts[0], dim), end = clamp(ends[0], dim);
        if (end <= start) throw new OnnxFormatException(program.source() + ": " + s.where() + ": empty slice");
        Tensor y = work(s.output(), x.dim(0), end - start);
        k.copyChannels(x, start, y, 0, end - start, false);
        return y;
    }

    /** ONNX Slice bounds: negative counts from the end, then clamped to [0, dim]. */
    private static int clamp(long v, int dim) {
        long w = v < 0 ? v + dim : v;
        return (int) Math.max(0, Math.min(dim, w));
    }

    /** Concat in Java memory when every input is there; else along the feature axis on the backend. */
    private Object concat(OnnxProgram.Step s) {
        int[] in = s.inputs();
        boolean allHost = true;
        for (int i : in) allHost &= !(env(i) instanceof Tensor);
        if (allHost) return hostStep(s);
        Tensor[] parts = new Tensor[in.length];
        int features = 0;
        for (int i = 0; i < in.length; i++) {
            parts[i] = device(in[i]);
            features += parts[i].rank() == 2 ? parts[i].dim(1) : 0;
        }
        long axis = HostEval.requiredInt(s.node(), "axis");
        int rows = parts[0].dim(0);
        for (Tensor p : parts) {
            if (p.rank() != 2 || (axis != 1 && axis != -1) || p.dim(0) != rows) {
                throw new OnnxFormatException(program.source() + ": " + s.where() + ": only a Concat of "
                        + "[batch, features] tensors along axis 1 runs on the backend");
            }
        }
        Tensor y = work(s.output(), rows, features);
        int at = 0;
        for (Tensor p : parts) {
            k.copyChannels(p, 0, y, at, p.dim(1), false);
            at += p.dim(1);
        }
        return y;
    }

    private Object env(int slot) {
        Object v = env[slot];
        return v != null ? v : program.constant(slot);
    }

    /** A value in Java memory; a backend tensor is copied back (and the copy kept for later readers). */
    private HostArray host(int slot) {
        Object v = env(slot);
        if (v instanceof HostArray h) return h;
        Tensor t = (Tensor) v;
        HostArray h = HostArray.ofFloats(t.toHost(), t.shape());
        env[slot] = h;
        return h;
    }

    /** A value on the backend: a constant is uploaded once per session, a run-time value per call. */
    private Tensor device(int slot) {
        Object v = env(slot);
        if (v instanceof Tensor t) return t;
        HostArray h = (HostArray) v;
        if (!h.isFloat()) throw new OnnxFormatException(program.source() + ": integer value " + h + " cannot go to the backend");
        int[] shape = h.rank() == 0 ? new int[]{1} : h.shape();
        if (program.constant(slot) != null) {
            if (uploaded[slot] == null) uploaded[slot] = backend.fromHost(h.floats(), shape);
            return uploaded[slot];
        }
        Tensor t = work(slot, shape);
        backend.copyFromHost(h.floats(), t);
        return t;
    }

    private Tensor constantTensor(OnnxProgram.Step s, int input) {
        int slot = s.inputs().length > input ? s.inputs()[input] : -1;
        if (slot < 0 || program.constant(slot) == null) {
            throw new OnnxFormatException(program.source() + ": " + s.where() + ": input " + input
                    + " must be a constant (an initializer)");
        }
        return device(slot);
    }

    /** Gemm's B as [out, in]: uploaded as stored when transB = 1, transposed once when transB = 0. */
    private Tensor weight(OnnxProgram.Step s, int input, boolean transB) {
        if (transB) return constantTensor(s, input);
        int slot = s.inputs()[input];
        HostArray b = slot < 0 ? null : program.constant(slot);
        if (b == null || b.rank() != 2 || !b.isFloat()) {
            throw new OnnxFormatException(program.source() + ": " + s.where() + ": B must be a constant float matrix");
        }
        if (transposed[slot] == null) {
            int rows = b.shape()[0], cols = b.shape()[1];
            float[] src = b.floats(), t = new float[src.length];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = src[r * cols + c];
            transposed[slot] = backend.fromHost(t, cols, rows);
        }
        return transposed[slot];
    }

    private Tensor work(int slot, int... shape) {
        Tensor t = work[slot];
        if (t == null || !Arrays.equals(t.shape(), shape)) {
            t = backend.allocate(shape);
            work[slot] = t;
        }
        return t;
    }

    /** Drops the session's tensors; the backend itself belongs to the caller. */
    @Override
    public void close() {
        Arrays.fill(uploaded, null);
        Arrays.fill(transposed, null);
        Arrays.fill(work, null);
    }
}
