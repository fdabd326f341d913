package org.proxynas.proxy;

import org.proxynas.nn.Adam;
import org.proxynas.nn.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.CellType;
import org.proxynas.space.RelaxedArch;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * The GAE proxy of docs/method.md#gae (TPAMI): each cell's relaxed matrix becomes a 17-node graph ({@link CellGraphs}),
 * one shared {@link GaeModel} encodes the normal and the reduction graph, and a {@link RegressionHead} maps
 * (Z_normal, Z_reduce) to ŷ = 2·sigmoid. Search-time training loss: reconWeight·(L_rec,n + L_rec,r) + MSE
 * (or the weighted loss). ŷ depends on α only through the edge weights v_e = max_k Ã[e,k] in the adjacency;
 * the op one-hots use argmax and carry no gradient.
 *
 * <p>Options (see {@link GaeConfig}): BatchNorm during prediction and the α gradient in eval mode [I] or with the
 * statistics of the graphs in the call (reference); all parameters fine-tuned [I] or the head only. Training
 * steps always use batch statistics and update the running statistics (PyTorch train mode); decoder dropout
 * masks come from this regressor's own {@link Rng} stream, saved with it.
 */
public final class GaeRegressor implements Regressor {
    public static final String FILE_KIND = "gae-regressor";

    /** ŷ and dŷ/dv for the 28 edge weights (14 normal, then 14 reduce). */
    public record EdgeGradient(double prediction, double[] gradient) {}

    /** The parts of the last training loss. */
    public record LossParts(double supervised, double reconNormal, double reconReduce, double total) {}

    private final Backend backend;
    private final GaeConfig config;
    private final GaeModel model;
    private final RegressionHead head;
    private final Adam adam;
    private Rng dropoutRng;
    private LossParts lastLoss;

    public GaeRegressor(Backend backend, Rng rng) { this(backend, rng, GaeConfig.defaults()); }

    /** Initialises from {@code rng} and splits a dropout stream off it. */
    public GaeRegressor(Backend backend, Rng rng, GaeConfig config) {
        this.backend = backend;
        this.config = config;
        this.model = new GaeModel(backend, rng, config);
        this.head = new RegressionHead(backend, rng, config.latent(), config.headHidden());
        this.dropoutRng = rng.split();
        this.adam = config.adam().over(trainable());
    }

    private List<Param> trainable() {
        List<Param> out = new ArrayList<>();
        if (config.fineTune() == GaeConfig.FineTune.ALL) out.addAll(model.params.params());
        out.addAll(head.params.params());
        return out;
    }

    @Override public String kind() { return "gae"; }

    public GaeConfig config() { return config; }

    /** Parameters a training step updates (all, or the head only). */
    public List<Param> parameters() { return trainable(); }

    /** Every parameter, encoder and decoder first, then the head. */
    public List<Param> allParameters() {
        List<Param> out = new ArrayList<>(model.params.params());
        out.addAll(head.params.params());
        return out;
    }

    public int optimizerSteps() { return adam.steps(); }

    /** The parts of the most recent training loss (null before the first). */
    public LossParts lastLoss() { return lastLoss; }

    private GaeModel.BnUse inferenceBn() {
        return config.inferenceBn() == GaeConfig.BnMode.EVAL ? GaeModel.BnUse.EVAL : GaeModel.BnUse.BATCH_STATS;
    }

    private static List<ArchGraph> graphs(float[][] encodings) {
        if (encodings.length == 0) throw new IllegalArgumentException("empty batch");
        List<ArchGraph> g = new ArrayList<>(encodings.length);
        for (float[] e : encodings) g.add(ArchGraph.fromEncoding(e));
        return g;
    }

    // ---- prediction and gradients --------------------------------------------------------------------------

    @Override
    public double[] predict(float[][] encodings) { return predictGraphs(graphs(encodings)); }

    public double[] predictGraphs(List<ArchGraph> graphs) {
        GaeModel.EncoderPass pn = model.encode(model.upload(CellGraphs.build(graphs, CellType.NORMAL)), 0, inferenceBn());
        GaeModel.EncoderPass pr = model.encode(model.upload(CellGraphs.build(graphs, CellType.REDUCE)), 1, inferenceBn());
        float[] y = head.forward(pn.z, pr.z).y.toHost();
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) out[i] = y[i];
        return out;
    }

    /** ŷ and dŷ/dv_e for one architecture (parameters and their gradients untouched). */
    public EdgeGradient edgeWeightGradient(ArchGraph graph) {
        List<ArchGraph> one = List.of(graph);
        GaeModel.EncoderPass pn = model.encode(model.upload(CellGraphs.build(one, CellType.NORMAL)), 0, inferenceBn());
        GaeModel.EncoderPass pr = model.encode(model.upload(CellGraphs.build(one, CellType.REDUCE)), 1, inferenceBn());
        RegressionHead.Pass hp = head.forward(pn.z, pr.z);
        backend.kernels().fill(hp.dy, 1f);
        head.backward(hp, false);
        int n = CellGraphs.NODES;
        Tensor dAn = backend.allocate(1, n, n), dAr = backend.allocate(1, n, n);
        model.encodeBackward(pn, hp.dzn, false, dAn);
        model.encodeBackward(pr, hp.dzr, false, dAr);
        double[] g = new double[ArchGraph.EDGES];
        CellGraphs.edgeWeightGradient(dAn.toHost(), 0, g, 0);
        CellGraphs.edgeWeightGradient(dAr.toHost(), 0, g, ArchParams.ROWS);
        return new EdgeGradient(hp.y.toHost()[0], g);
    }

    @Override
    public AlphaGradient alphaGradient(RelaxedArch arch) {
        EdgeGradient eg = edgeWeightGradient(ArchGraph.from(arch));
        double[] dJdv = new double[eg.gradient().length];
        for (int i = 0; i < dJdv.length; i++) dJdv[i] = 2 * eg.prediction() * eg.gradient()[i];
        return new AlphaGradient(eg.prediction(), arch.backwardEdgeWeights(dJdv));
    }

    // ---- training ----------------------------------------------------------------------------------------------

    @Override
    public double trainStep(float[][] encodings, double[] labels) {
        double loss = lossAndGradients(encodings, labels, dropoutRng.nextLong());
        adam.step(config.adam().lrFloat());
        return loss;
    }

    /**
     * The training loss of a batch and the gradients of the trainable parameters (zeroed first), without an
     * update. The decoder's dropout masks derive from {@code dropoutSeed} (normal and reduce get different masks).
     */
    public double lossAndGradients(float[][] encodings, double[] labels, long dropoutSeed) {
        if (labels.length != encodings.length) {
            throw new IllegalArgumentException(encodings.length + " encodings but " + labels.length + " labels");
        }
        List<ArchGraph> g = graphs(encodings);
        Tensor target = SupervisedLoss.labels(backend, labels, config.loss());
        GaeModel.Graphs gn = model.upload(CellGraphs.build(g, CellType.NORMAL));
        GaeModel.Graphs gr = model.upload(CellGraphs.build(g, CellType.REDUCE));
        model.params.zeroGrads();
        head.params.zeroGrads();
        GaeModel.EncoderPass pn = model.encode(gn, 0, GaeModel.BnUse.TRAIN);
        GaeModel.EncoderPass pr = model.encode(gr, 1, GaeModel.BnUse.TRAIN);
        RegressionHead.Pass hp = head.forward(pn.z, pr.z);
        double sup = SupervisedLoss.apply(backend, config.loss(), hp.y, target, hp.dy, 1f);
        head.backward(hp, true);
        boolean all = config.fineTune() == GaeConfig.FineTune.ALL;
        float w = (float) config.reconWeight();
        long seedReduce = new Rng(dropoutSeed).nextLong();
        GaeModel.Recon rn = model.reconstruct(pn, true, dropoutSeed, w, all ? hp.dzn : null, all);
        GaeModel.Recon rr = model.reconstruct(pr, true, seedReduce, w, all ? hp.dzr : null, all);
        if (all) {
            model.encodeBackward(pn, hp.dzn, true, null);
            model.encodeBackward(pr, hp.dzr, true, null);
        }
        double total = config.reconWeight() * (rn.total() + rr.total()) + sup;
        lastLoss = new LossParts(sup, rn.total(), rr.total(), total);
        return total;
    }

    // ---- files -------------------------------------------------------------------------------------------------

    /** Loads a pretrained autoencoder written by {@link GaePretrainer}; the head stays, the optimiser restarts. */
    public void loadPretrained(Path file) throws IOException {
        ParamFile.Contents c = ParamFile.read(file, GaeModel.FILE_KIND);
        model.checkMeta(file, c);
        ParamFile.copyInto(file, c, model.params.state());
        adam.reset();
    }

    @Override
    public void save(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(model.meta());
        meta.put("head.hidden", Integer.toString(config.headHidden()));
        meta.put("fineTune", config.fineTune().name());
        meta.put("adam.step", Integer.toString(adam.steps()));
        long[] rs = dropoutRng.state();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rs.length; i++) sb.append(i == 0 ? "" : ",").append(rs[i]);
        meta.put("dropout.rng", sb.toString());
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.params.state());
        tensors.putAll(head.params.state());
        tensors.putAll(ParamSet.byName(adam.state()));
        ParamFile.write(file, FILE_KIND, meta, tensors);
    }

    @Override
    public void load(Path file) throws IOException {
        ParamFile.Contents c = ParamFile.read(file, FILE_KIND);
        model.checkMeta(file, c);
        ParamFile.expectMeta(file, c, "head.hidden", config.headHidden());
        int step;
        Rng rng;
        try {
            step = Integer.parseInt(ParamFile.meta(file, c, "adam.step"));
            String[] parts = ParamFile.meta(file, c, "dropout.rng").split(",");
            long[] st = new long[parts.length];
            for (int i = 0; i < st.length; i++) st[i] = Long.parseLong(parts[i]);
            rng = Rng.fromState(st);
        } catch (RuntimeException e) {
            throw new ProxyFileException(file, "bad optimiser or RNG field: " + e.getMessage());
        }
        Map<String, Tensor> targets = new LinkedHashMap<>(model.params.state());
        targets.putAll(head.params.state());
        targets.putAll(ParamSet.byName(adam.state()));
        ParamFile.copyInto(file, c, targets);
        adam.setSteps(step);
        dropoutRng = rng;
    }

    /** The autoencoder alone (for {@link GaePretrainer}). */
    GaeModel model() { return model; }
}
