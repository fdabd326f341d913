package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.nn.EvalNet;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.nn.Param;
import org.proxynas.rng.Rng;
import org.proxynas.space.Genotypes;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One training step of the evaluation network as {@code proxynas train} runs it (Retrainer): the PVLL-NAS genotype
 * (every op kind, reduction cells with stride-2 sep and dil convs, factorized reductions) at C = 36, so cells at 36,
 * 72 and 144 channels, the auxiliary head after cell 2L/3 with loss weight 0.4, drop-path at 0.1 (mid-way through
 * the default ramp to 0.2; its masks are drawn on the host, so both backends drop the same paths), one forward and
 * backward on 2 images with 10 classes, on a CUDA backend against the CPU backend. Compared: the logits and auxiliary
 * logits, both losses and every parameter gradient (the auxiliary head's included). Subclasses name the backend,
 * the depth and the gradient tolerance.
 *
 * <p>Tolerances. The kernels agree with the CPU to a few ulps in their conformance suites; what a step of a deep
 * network makes of that is bounded by how the step itself responds to rounding-size changes, measured on the CPU
 * alone by scaling every input pixel by (1 + 1e-7 g), g ~ N(0, 1), about one ulp. The losses: <b>2e-5 relative</b>
 * (observed on the emulation at most 3.6e-6, L = 20). Logits and auxiliary logits: every entry within <b>1e-3 of the
 * largest |logit|</b> (observed 2.7e-5 at L = 3 and 1.8e-4 at L = 20, the auxiliary head's, whose second batch norm
 * normalises 2 values per channel). Gradients: per parameter tensor, |cuda - cpu| / |cpu| in the Euclidean norm at
 * most {@link #gradientTolerance()}, as the subclass states it from the CPU's own response (a ReLU mask or a
 * max-pool argmax that flips with rounding sends one element's whole gradient elsewhere, and the deeper the network
 * the more values sit within rounding of such a switch: at L = 20 the one-ulp input change alone moves single
 * gradient entries by up to 15 % of their tensor's largest, so entries cannot be compared one by one there); a
 * tensor whose CPU gradient is all zero (a path drop-path dropped) must be all zero. A wrong kernel or wiring gives
 * differences of order 1.
 */
abstract class CudaEvalNetChecks {
    abstract CudaBackend createCuda();

    /** Cells L (reductions at L/3 and 2L/3, the auxiliary head after 2L/3). */
    abstract int layers();

    /** Image side: CIFAR's 32 unless a subclass shrinks it (the auxiliary head needs maps of 5x5 after two reductions). */
    int side() { return 32; }

    /** The largest |cuda - cpu| / |cpu| (Euclidean norms) of a parameter tensor's gradient. */
    abstract double gradientTolerance();

    static final int CHANNELS = 36, BATCH = 2, CLASSES = 10;
    static final float DROP_PATH = 0.1f, AUX_WEIGHT = 0.4f;

    @Test
    void trainingStepMatchesTheCpu() {
        try (CudaBackend cuda = createCuda(); CpuBackend cpu = new CpuBackend(1)) {
            Step expected = step(cpu, layers(), side()), actual = step(cuda, layers(), side());
            assertEquals(expected.names, actual.names, "parameters");
            assertEquals(expected.loss, actual.loss, 2e-5 * Math.abs(expected.loss), "loss");
            assertEquals(expected.auxLoss, actual.auxLoss, 2e-5 * Math.abs(expected.auxLoss), "auxiliary loss");
            entriesWithin("logits", expected.logits, actual.logits, 1e-3);
            entriesWithin("auxiliary logits", expected.auxLogits, actual.auxLogits, 1e-3);
            for (int i = 0; i < expected.grads.size(); i++) {
                normWithin(expected.names.get(i) + " gradient", expected.grads.get(i), actual.grads.get(i),
                        gradientTolerance());
            }
        }
    }

    /** Every entry within share of the largest |expected entry|. */
    private static void entriesWithin(String what, float[] expected, float[] actual, double share) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        double tol = share * scale;
        for (int j = 0; j < expected.length; j++) {
            if (!(Math.abs((double) actual[j] - expected[j]) <= tol)) {
                fail(what + " entry " + j + ": cpu " + expected[j] + ", cuda " + actual[j] + " (tolerance " + tol + ")");
            }
        }
    }

    /** |actual - expected| <= tolerance * |expected| in the Euclidean norm; all zero where expected is. */
    private static void normWithin(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + " length");
        double diff = 0, norm = 0;
        for (int j = 0; j < expected.length; j++) {
            double d = (double) actual[j] - expected[j];
            diff += d * d;
            norm += (double) expected[j] * expected[j];
        }
        diff = Math.sqrt(diff);
        norm = Math.sqrt(norm);
        if (!(diff <= tolerance * norm)) {
            fail(what + ": |cuda - cpu| = " + diff + ", |cpu| = " + norm + ", more than " + tolerance + " of it");
        }
    }

    private record Step(double loss, double auxLoss, float[] logits, float[] auxLogits, List<String> names,
                        List<float[]> grads) {}

    private static Step step(Backend b, int layers, int side) {
        EvalNetConfig config = new EvalNetConfig(CHANNELS, layers, CLASSES, 3, true);
        EvalNet net = new EvalNet(b, config, Genotypes.PVLL_NAS, side, new Rng(5));
        Rng rng = new Rng(8);
        float[] img = new float[BATCH * 3 * side * side], label = new float[BATCH];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < BATCH; i++) label[i] = (3 + 4 * i) % CLASSES;
        Tensor x = b.fromHost(img, BATCH, 3, side, side), labels = b.fromHost(label, BATCH);
        net.train();
        net.setDropPathProbability(DROP_PATH);
        net.zeroGrad();
        Tensor logits = net.forward(x), aux = net.auxLogits();
        Tensor dlogits = b.allocateLike(logits), daux = b.allocateLike(aux);
        double loss = b.kernels().softmaxCrossEntropy(logits, labels, dlogits, 1f).loss();
        double auxLoss = b.kernels().softmaxCrossEntropy(aux, labels, daux, AUX_WEIGHT).loss();
        net.backward(dlogits, daux);
        List<String> names = new ArrayList<>();
        List<float[]> grads = new ArrayList<>();
        for (Param p : net.params()) {
            names.add(p.name());
            grads.add(p.grad().toHost());
        }
        return new Step(loss, auxLoss, logits.toHost(), aux.toHost(), names, grads);
    }
}
