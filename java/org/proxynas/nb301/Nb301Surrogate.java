package org.proxynas.nb301;

import org.proxynas.onnx.HostArray;
import org.proxynas.onnx.OnnxFormatException;
import org.proxynas.onnx.OnnxProgram;
import org.proxynas.onnx.OnnxReader;
import org.proxynas.onnx.OnnxSession;
import org.proxynas.onnx.OnnxTensor;
import org.proxynas.onnx.OnnxValueInfo;
import org.proxynas.space.Genotype;
import org.proxynas.tensor.Backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The NAS-Bench-301 surrogate (YAHPO Gym's nb301 model, shipped in the jar): predicted CIFAR-10 validation accuracy,
 * cross-entropy and training time of a DARTS genotype after a given number of epochs, computed on a
 * {@link Backend}'s kernels by the project's ONNX interpreter ({@link OnnxSession}).
 *
 * <p>Thread-safe: calls on one instance are serialised. For parallel throughput use one instance per thread;
 * {@link #load(Backend)} is cheap after the first call (the parsed model is shared, only weights are uploaded per
 * instance). The backend stays the caller's: {@link #close()} does not close it.
 */
public final class Nb301Surrogate implements AutoCloseable {
    /** Training fidelity: NB301 trained every architecture for 98 epochs; the model accepts epochs 1..98. */
    public static final double FULL_EPOCH = 98;
    /** The smallest epoch the model was fitted on. */
    public static final double MIN_EPOCH = 1;
    /** The model shipped in the jar. */
    public static final String MODEL_RESOURCE = "/org/proxynas/nb301/model_v2.onnx";

    private static final int OUTPUTS = 4;

    private final OnnxSession session;

    private Nb301Surrogate(OnnxSession session) { this.session = session; }

    /** The shipped model, parsed once per JVM. */
    private static final class Shipped {
        static final OnnxProgram PROGRAM = parse();

        private static OnnxProgram parse() {
            try (InputStream in = Nb301Surrogate.class.getResourceAsStream(MODEL_RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + MODEL_RESOURCE + " is missing from the class path");
                return checked(OnnxProgram.compile(OnnxReader.read(in, "resource " + MODEL_RESOURCE), "resource " + MODEL_RESOURCE));
            } catch (IOException e) {
                throw new UncheckedIOException("resource " + MODEL_RESOURCE + ": " + e.getMessage(), e);
            }
        }
    }

    /** The model shipped in the jar, on {@code backend}. */
    public static Nb301Surrogate load(Backend backend) {
        return new Nb301Surrogate(new OnnxSession(Shipped.PROGRAM, backend));
    }

    /** Another export of the same model (same inputs, outputs and category encoding) from a file. */
    public static Nb301Surrogate load(Backend backend, Path onnxFile) { return load(backend, readModel(onnxFile)); }

    /** A model read by {@link #readModel}, on {@code backend}. */
    public static Nb301Surrogate load(Backend backend, OnnxProgram model) {
        return new Nb301Surrogate(new OnnxSession(checked(model), backend));
    }

    /**
     * Reads another export of the model and checks its inputs and outputs, without a backend; an unreadable or
     * damaged file, or one that is not an NB301 surrogate, fails naming the file and what is wrong.
     */
    public static OnnxProgram readModel(Path onnxFile) { return checked(OnnxProgram.load(onnxFile)); }

    private static OnnxProgram checked(OnnxProgram p) {
        List<OnnxValueInfo> in = p.inputs();
        if (in.size() != 2 || !matrix(in.get(0), OnnxTensor.ElementType.INT32, Nb301Encoding.INPUTS)
                || !matrix(in.get(1), OnnxTensor.ElementType.FLOAT, 1) || p.outputNames().size() != 1) {
            throw new IllegalArgumentException(p.source() + ": not an NB301 surrogate: expected inputs x_cat int32[batch, 34] "
                    + "and x_cont float[batch, 1] and one output, got inputs " + in + " and outputs " + p.outputNames());
        }
        return p;
    }

    /** A [batch, columns] input of the given element type. */
    private static boolean matrix(OnnxValueInfo v, OnnxTensor.ElementType type, int columns) {
        return v.elementType() == type.code() && v.dims().size() == 2 && v.dims().get(1).equals(Integer.toString(columns));
    }

    /** Predicted validation accuracy (a fraction) of each genotype at {@code epoch}, in input order. */
    public double[] predictAccuracy(List<Genotype> genotypes, double epoch) {
        Prediction[] p = predict(genotypes, epoch);
        double[] acc = new double[p.length];
        for (int i = 0; i < p.length; i++) acc[i] = p[i].accuracy();
        return acc;
    }

    /**
     * All four predicted targets of each genotype at {@code epoch} (1..{@value #FULL_EPOCH}, fractional values
     * allowed), in input order. A genotype NB301 cannot represent fails with its list index and the reason.
     */
    public synchronized Prediction[] predict(List<Genotype> genotypes, double epoch) {
        if (!(epoch >= MIN_EPOCH && epoch <= FULL_EPOCH)) {
            throw new IllegalArgumentException("epoch must be in [" + MIN_EPOCH + ", " + FULL_EPOCH + "], got " + epoch);
        }
        int n = genotypes.size();
        if (n == 0) return new Prediction[0];
        long[] codes = new long[n * Nb301Encoding.INPUTS];
        for (int i = 0; i < n; i++) {
            int[] c;
            try {
                c = Nb301Encoding.encode(genotypes.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(n == 1 ? e.getMessage() : "genotype " + i + ": " + e.getMessage(), e);
            }
            for (int j = 0; j < c.length; j++) codes[i * Nb301Encoding.INPUTS + j] = c[j];
        }
        float[] epochs = new float[n];
        java.util.Arrays.fill(epochs, (float) epoch);
        HostArray out = session.run(HostArray.ofLongs(codes, n, Nb301Encoding.INPUTS), HostArray.ofFloats(epochs, n, 1))[0];
        if (out.rank() != 2 || out.shape()[0] != n || out.shape()[1] != OUTPUTS || !out.isFloat()) {
            throw new OnnxFormatException(session.program().source() + ": output " + out + ", expected float["
                    + n + ", " + OUTPUTS + "]: not an NB301 surrogate");
        }
        float[] y = out.floats();
        for (int i = 0; i < y.length; i++) {
            // The shipped model is finite on every valid input; a non-finite value means damaged weights.
            if (!Float.isFinite(y[i])) {
                throw new OnnxFormatException(session.program().source() + ": predicted " + y[i] + " (output column " + i % OUTPUTS
                        + ") for genotype " + i / OUTPUTS + " of " + n + ": the model's weights are damaged");
            }
        }
        Prediction[] p = new Prediction[n];
        for (int i = 0; i < n; i++) {
            int o = i * OUTPUTS;
            p[i] = new Prediction(y[o], y[o + 1], y[o + 2], y[o + 3]);
        }
        return p;
    }

    @Override
    public synchronized void close() { session.close(); }
}
