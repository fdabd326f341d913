package org.proxynas.proxy;

import org.proxynas.nn.Adam;
import org.proxynas.nn.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.RelaxedArch;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The LSTM proxy of docs/method.md#proxy (reference default {@code lstm}): the encoding cat(Ã_normal, Ã_reduce) read as
 * 28 steps of 8 features, one LSTM layer (PyTorch gate order i, f, g, o; hidden 16), the final hidden state through
 * Linear(16→1), ŷ = 2·sigmoid. Initialisation as PyTorch: every LSTM weight and both biases U(−1/√H, 1/√H), the
 * Linear U(−1/√16, 1/√16). Backpropagation through time with {@code lstmCellBackward}; the input gradient
 * dŷ/dÃ covers every entry of Ã. All numeric work goes through the kernel interface.
 */
public final class LstmRegressor implements Regressor {
    public static final String FILE_KIND = "lstm-regressor";
    /** Sequence length: 14 normal edges then 14 reduce edges. */
    public static final int STEPS = 2 * ArchParams.ROWS;
    /** Features per step: one row of Ã. */
    public static final int FEATURES = ArchParams.COLS;

    /**
     * @param hidden LSTM hidden size (16 in the reference)
     * @param loss   supervised loss
     * @param adam   regressor optimiser
     */
    public record Config(int hidden, RegressionLoss loss, AdamConfig adam) {
        public static Config defaults() { return new Config(16, RegressionLoss.MSE, AdamConfig.regressorDefault()); }

        public Config {
            if (hidden < 1) throw new IllegalArgumentException("LSTM hidden size must be >= 1, got " + hidden);
            if (loss == null || adam == null) throw new IllegalArgumentException("loss and adam must not be null");
        }

        public Config withLoss(RegressionLoss l) { return new Config(hidden, l, adam); }
    }

    /** ŷ and its gradient with respect to every entry of the encoding (224, {@link ArchParams} layout). */
    public record InputGradient(double prediction, float[] gradient) {}

    private final Backend backend;
    private final Kernels k;
    private final Config config;
    private final ParamSet params;
    private final Param wIh, wHh, bIh, bHh, fcW, fcB;
    private final Adam adam;
    private final Map<Integer, Pass> passes = new HashMap<>();

    public LstmRegressor(Backend backend, Rng initRng) { this(backend, initRng, Config.defaults()); }

    public LstmRegressor(Backend backend, Rng initRng, Config config) {
        this.backend = backend;
        this.k = backend.kernels();
        this.config = config;
        int h = config.hidden();
        double bound = 1.0 / Math.sqrt(h);
        params = new ParamSet(backend);
        wIh = params.add(Param.uniform(backend, initRng, "lstm.weight_ih_l0", bound, 4 * h, FEATURES));
        wHh = params.add(Param.uniform(backend, initRng, "lstm.weight_hh_l0", bound, 4 * h, h));
        bIh = params.add(Param.uniform(backend, initRng, "lstm.bias_ih_l0", bound, 4 * h));
        bHh = params.add(Param.uniform(backend, initRng, "lstm.bias_hh_l0", bound, 4 * h));
        fcW = params.add(Param.uniform(backend, initRng, "fc.weight", 1.0 / Math.sqrt(h), 1, h));
        fcB = params.add(Param.uniform(backend, initRng, "fc.bias", 1.0 / Math.sqrt(h), 1));
        adam = config.adam().over(params.params());
    }

    @Override public String kind() { return "lstm"; }

    public Config config() { return config; }

    /** The trainable parameters (for tests and diagnostics). */
    public List<Param> parameters() { return params.params(); }

    /** Adam steps taken so far. */
    public int optimizerSteps() { return adam.steps(); }

    // ---- public operations -----------------------------------------------------------------------------------

    @Override
    public double[] predict(float[][] encodings) {
        Pass p = forward(encodings);
        float[] y = p.y.toHost();
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) out[i] = y[i];
        return out;
    }

    @Override
    public double trainStep(float[][] encodings, double[] labels) {
        double loss = lossAndGradients(encodings, labels);
        adam.step(config.adam().lrFloat());
        return loss;
    }

    /** The training loss of a batch with every parameter gradient (zeroed first); no update. */
    public double lossAndGradients(float[][] encodings, double[] labels) {
        if (labels.length != encodings.length) {
            throw new IllegalArgumentException(encodings.length + " encodings but " + labels.length + " labels");
        }
        Pass p = forward(encodings);
        Tensor target = SupervisedLoss.labels(backend, labels, config.loss());
        double loss = SupervisedLoss.apply(backend, config.loss(), p.y, target, p.dy, 1f);
        params.zeroGrads();
        backward(p, true, false);
        return loss;
    }

    /** ŷ and dŷ/dÃ for one encoding; parameter gradients are left alone. */
    public InputGradient inputGradient(float[] encoding) {
        Pass p = forward(new float[][] {encoding});
        k.fill(p.dy, 1f);
        backward(p, false, true);
        return new InputGradient(p.y.toHost()[0], p.dx.toHost());
    }

    @Override
    public AlphaGradient alphaGradient(RelaxedArch arch) {
        InputGradient g = inputGradient(arch.encoding());
        double[] dJdA = new double[g.gradient().length];
        for (int i = 0; i < dJdA.length; i++) dJdA[i] = 2 * g.prediction() * g.gradient()[i];
        return new AlphaGradient(g.prediction(), arch.backward(dJdA));
    }

    // ---- forward / backward ----------------------------------------------------------------------------------

    /** Activations and gradient buffers for one batch size. */
    private final class Pass {
        final int n;
        final Tensor x, h0, c0, tmp, z, s, y;
        final Tensor[] xt = new Tensor[STEPS], act = new Tensor[STEPS], c = new Tensor[STEPS], h = new Tensor[STEPS];
        final Tensor dy, ds, dz, dh, dc, dgates, dxt, dx;

        Pass(int n) {
            this.n = n;
            int hid = config.hidden();
            x = backend.allocate(n, STEPS * FEATURES);
            h0 = backend.allocate(n, hid);
            c0 = backend.allocate(n, hid);
            tmp = backend.allocate(n, 4 * hid);
            for (int t = 0; t < STEPS; t++) {
                xt[t] = backend.allocate(n, FEATURES);
                act[t] = backend.allocate(n, 4 * hid);
                c[t] = backend.allocate(n, hid);
                h[t] = backend.allocate(n, hid);
            }
            z = backend.allocate(n, 1);
            s = backend.allocate(n, 1);
            y = backend.allocate(n, 1);
            dy = backend.allocate(n, 1);
            ds = backend.allocate(n, 1);
            dz = backend.allocate(n, 1);
            dh = backend.allocate(n, hid);
            dc = backend.allocate(n, hid);
            dgates = backend.allocate(n, 4 * hid);
            dxt = backend.allocate(n, FEATURES);
            dx = backend.allocate(n, STEPS * FEATURES);
        }
    }

    private Pass pass(int n) {
        if (passes.size() > 8 && !passes.containsKey(n)) passes.clear();
        return passes.computeIfAbsent(n, Pass::new);
    }

    private Pass forward(float[][] encodings) {
        if (encodings.length == 0) throw new IllegalArgumentException("empty batch");
        Pass p = pass(encodings.length);
        p.x.fromHost(Encodings.flatten(encodings));
        for (int t = 0; t < STEPS; t++) {
            Tensor hPrev = t == 0 ? p.h0 : p.h[t - 1];
            Tensor cPrev = t == 0 ? p.c0 : p.c[t - 1];
            k.copyChannels(p.x, t * FEATURES, p.xt[t], 0, FEATURES, false);
            k.linearForward(p.xt[t], wIh.value(), bIh.value(), p.act[t]);
            k.linearForward(hPrev, wHh.value(), bHh.value(), p.tmp);
            k.axpy(1f, p.tmp, p.act[t]);
            k.lstmCellForward(p.act[t], cPrev, p.act[t], p.c[t], p.h[t]);
        }
        k.linearForward(p.h[STEPS - 1], fcW.value(), fcB.value(), p.z);
        k.sigmoid(p.z, p.s);
        backend.copy(p.s, p.y);
        k.scale(p.y, 2f);
        return p;
    }

    /** From p.dy back through time; accumulates parameter gradients and/or writes p.dx. */
    private void backward(Pass p, boolean paramGrads, boolean inputGrad) {
        backend.copy(p.dy, p.ds);
        k.scale(p.ds, 2f);
        k.sigmoidBackward(p.s, p.ds, p.dz, false);
        if (paramGrads) k.linearBackwardParams(p.h[STEPS - 1], p.dz, fcW.grad(), fcB.grad());
        k.linearBackwardData(p.dz, fcW.value(), p.dh, false);
        for (int t = STEPS - 1; t >= 0; t--) {
            Tensor cPrev = t == 0 ? p.c0 : p.c[t - 1];
            k.lstmCellBackward(p.act[t], cPrev, p.c[t], p.dh, t == STEPS - 1 ? null : p.dc, p.dgates, p.dc);
            if (paramGrads) {
                k.linearBackwardParams(p.xt[t], p.dgates, wIh.grad(), bIh.grad());
                if (t > 0) k.linearBackwardParams(p.h[t - 1], p.dgates, wHh.grad(), bHh.grad());
                else k.linearBackwardParams(p.h0, p.dgates, wHh.grad(), bHh.grad()); // h0 = 0: bias only
            }
            if (inputGrad) {
                k.linearBackwardData(p.dgates, wIh.value(), p.dxt, false);
                k.copyChannels(p.dxt, 0, p.dx, t * FEATURES, FEATURES, false);
            }
            if (t > 0) k.linearBackwardData(p.dgates, wHh.value(), p.dh, false);
        }
    }

    // ---- files -------------------------------------------------------------------------------------------------

    @Override
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(params.state());
        tensors.putAll(ParamSet.byName(adam.state()));
        ParamFile.write(file, FILE_KIND, meta(), tensors);
    }

    private Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hidden", Integer.toString(config.hidden()));
        m.put("loss", config.loss().name());
        m.put("adam.step", Integer.toString(adam.steps()));
        return m;
    }

    @Override
    public void load(Path file) throws IOException {
        ParamFile.Contents c = ParamFile.read(file, FILE_KIND);
        ParamFile.expectMeta(file, c, "hidden", config.hidden());
        int step;
        try {
            step = Integer.parseInt(ParamFile.meta(file, c, "adam.step"));
        } catch (NumberFormatException e) {
            throw new ProxyFileException(file, "field \"adam.step\" is not an integer");
        }
        Map<String, Tensor> targets = new LinkedHashMap<>(params.state());
        targets.putAll(ParamSet.byName(adam.state()));
        ParamFile.copyInto(file, c, targets);
        adam.setSteps(step);
    }
}
