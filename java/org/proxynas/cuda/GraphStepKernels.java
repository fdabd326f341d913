package org.proxynas.cuda;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * The kernels of a training step that can be captured in a CUDA graph (cuda/step.cu): the learning rate and the
 * clip coefficient are read from device scalars, and the loss totals are added up in device memory, so a replayed
 * graph needs no host value and no read back. Parameter-wide work runs over a {@link ParamTable} in one launch.
 * Bit-identical to the eager step ({@code GradClip.clip}, i.e. {@code Kernels.clipGradNorm}, then {@code Sgd.step},
 * and the runner's sum of {@code softmaxCrossEntropy} results).
 */
public final class GraphStepKernels {
    private final CudaBackend backend;
    private final Launcher launcher;
    private final Launches launches;
    private final GradNormClip clip;

    public GraphStepKernels(Backend backend) {
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalArgumentException("graph steps need the CUDA backend, got " + backend.name());
        }
        this.backend = cuda;
        this.launcher = cuda.launcher();
        this.launches = new Launches(cuda);
        this.clip = new GradNormClip(launches);
    }

    /**
     * Parameters, their gradients and momentum buffers as a device table (built once, before any capture; the
     * tensors must outlive it).
     */
    public ParamTable table(List<Tensor> values, List<Tensor> grads, List<Tensor> momenta) {
        int n = values.size();
        if (grads.size() != n || momenta.size() != n) {
            throw new IllegalArgumentException("parameter table: " + n + " values, " + grads.size() + " gradients and "
                    + momenta.size() + " momentum buffers; they must match one to one");
        }
        if (n == 0) throw new IllegalArgumentException("parameter table: no parameters");
        float[] rows = new float[GradNormClip.ROW_FLOATS * n];
        long elements = 0;
        for (int t = 0; t < n; t++) {
            Tensor v = values.get(t), g = grads.get(t), m = momenta.get(t);
            Checks.sameShape("grads[" + t + "]", g, "values[" + t + "]", v);
            Checks.sameShape("momenta[" + t + "]", m, "values[" + t + "]", v);
            GradNormClip.putRow(rows, t, backend.address(v), backend.address(g), backend.address(m), v.size());
            elements += v.size();
        }
        return new ParamTable(backend.fromHost(rows, rows.length), n, elements, List.copyOf(values), List.copyOf(grads),
                List.copyOf(momenta));
    }

    /**
     * A device table of parameter rows (elements: their total size); holds its tensors so their blocks stay
     * allocated while it lives.
     */
    public record ParamTable(Tensor rows, int count, long elements, List<Tensor> values, List<Tensor> grads,
                             List<Tensor> momenta) {}

    /** Every gradient of the table = 0. */
    public void zeroGrads(ParamTable table) {
        launch("zero_grads_multi_f32", launcher.maxGridX(), ptr(table.rows()), table.count());
    }

    /**
     * coef[0] = min(1, maxNorm / (global gradient norm + 1e-6)) by the two-pass device reduction the eager
     * {@code Kernels.clipGradNorm} runs too ({@link GradNormClip}), so the two are bit-identical.
     */
    public void clipCoefficient(ParamTable table, double maxNorm, Tensor coef) {
        Checks.shape("coef", coef, 1);
        if (!(maxNorm > 0)) throw new IllegalArgumentException("gradient clip norm must be > 0, got " + maxNorm);
        clip.coefficient(ptr(table.rows()), table.count(), table.elements(), maxNorm, ptr(coef), new Launcher.Ptr(0));
    }

    /** grad *= coef[0], then SGD with momentum and L2 decay at learning rate lr[0] (Sgd.step's update). */
    public void sgdStep(ParamTable table, Tensor lr, Tensor coef, float momentum, float weightDecay) {
        Checks.shape("lr", lr, 1);
        Checks.shape("coef", coef, 1);
        Checks.range("momentum", momentum, 0, 1);
        Checks.nonNegative("weight decay", weightDecay);
        launch("sgd_clipped_multi_f32", launcher.maxGridX(), ptr(table.rows()),
                table.count(), ptr(lr), ptr(coef), momentum, weightDecay);
    }

    /** Softmax cross-entropy of logits against labels, dlogits = its gradient, the loss added to totals. */
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, LossTotals totals) {
        Checks.rank("logits", logits, 2);
        int n = logits.dim(0), k = logits.dim(1);
        Checks.shape("labels", labels, n);
        Checks.sameShape("dlogits", dlogits, "logits", logits);
        int grid = totals.grid();
        if (grid != lossGrid(n)) throw new IllegalArgumentException("loss totals were made for a batch of " + totals.batch() + ", got " + n);
        // labels unchecked (a null check result): the loader writes them, and a check would cost a launch per step
        launch("softmax_xent_f32", grid, ptr(logits), ptr(labels), ptr(dlogits),
                1f, new Launcher.Ptr(0), ptr(totals.partials()), n, k);
        launch("loss_accumulate_f64", 1, ptr(totals.partials()), grid, n, ptr(totals.sums()));
    }

    /** Launches kernel on gridX blocks of its declared block size. */
    private void launch(String kernel, int gridX, Object... args) { launches.launch(kernel, gridX, 0, args); }

    /** Device totals of the losses of batches of the given size, zeroed. */
    public LossTotals lossTotals(int batch) {
        int grid = lossGrid(batch);
        return new LossTotals(backend.allocate(4 * grid), backend.allocate(2 * LossTotals.FIELDS), grid, batch);
    }

    /** The grid the eager softmaxCrossEntropy uses, so the block partials add up in the same order. */
    private int lossGrid(int n) { return CudaLoss.lossGrid(launches, n); }

    /** A device scalar (one float), e.g. the learning rate a graph reads. */
    public Tensor scalar(float value) { return backend.fromHost(new float[] {value}, 1); }

    /** Loss totals in device memory: the block partials of the last batch and the running sums (doubles). */
    public record LossTotals(Tensor partials, Tensor sums, int grid, int batch) {
        static final int FIELDS = 5;

        /** The sums so far (a read back: outside any capture); see {@link Read}. */
        public Read read() {
            double[] d = DoublePairs.decode(sums.toHost());
            return new Read(d[0], (long) d[1], (long) d[2], (long) d[3], (long) d[4]);
        }

        /** Zeroes the sums (a launch: may be captured, or run between replays). */
        public void reset() { sums.backend().kernels().fill(sums, 0f); }
    }

    /**
     * Totals since the last reset.
     *
     * @param lossSum       sum over batches of mean loss times batch size
     * @param correct       rows whose arg-max was the label
     * @param count         rows scored
     * @param steps         batches scored
     * @param firstNonFinite the first batch (1-based) whose loss was NaN or infinite; 0 when none was
     */
    public record Read(double lossSum, long correct, long count, long steps, long firstNonFinite) {}

    private Launcher.Ptr ptr(Tensor t) { return launches.ptr(t); }
}
