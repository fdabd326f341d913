package org.proxynas.search;

import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.nn.SuperNet;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.Checks;
import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.StepKernels;
import org.proxynas.tensor.StepKernels.LossTotals;
import org.proxynas.tensor.StepKernels.ParamTable;
import org.proxynas.tensor.Tensor;
import org.proxynas.train.Sgd;

import java.util.List;

/**
 * The supernet's weight step replayed as a captured graph, on a backend that offers {@link GraphCapture} (CUDA graphs
 * on the CUDA backend; docs/architecture.md#performance): PVLL's single-path step and the DARTS baseline's
 * mixture step. The first step of a graph runs eagerly (it fills the workspace, so every buffer the step uses exists
 * and keeps its address; it makes the fused kernels' scratch and term tables; it resolves every kernel: so nothing
 * is allocated, uploaded or loaded during the capture), the second is captured, and every later step is one graph
 * launch. A single-path graph belongs to its path (its ops and relaxed weights are baked into the captured launches):
 * a new path re-captures. A mixture graph serves every set of mixture weights, because the node sums read the weights
 * from backend memory when they run ({@link SuperNet#setMixture} writes them there, outside the graph) and add the
 * mixture-weight gradients there ({@link SuperNet#mixtureGrad} reads them, outside the graph).
 *
 * <p>Nothing a replay needs lives on the host: the batch is built by the loader into the static images/labels
 * tensors before each replay, the learning rate is a device scalar (uploaded when it changes, outside the graph),
 * the clip coefficient is computed on the device, and the loss is added up in device memory and read once per
 * sample ({@link #drain()}), which is also when a non-finite loss is noticed. The step is bit-identical to
 * SupernetRunner's eager step (zeroGrad, forward, softmaxCrossEntropy, backward, GradClip.clip, Sgd.step).
 *
 * <p>When a kernel of the step cannot be captured (it allocates, uploads or reads back per call), the capture is
 * abandoned, one line on stderr names the operation, and every later step runs eagerly: slower, same results.
 */
final class GraphedSupernetStep implements AutoCloseable {
    private final GraphCapture graphs;
    private final SuperNet net;
    private final Sgd sgd;
    private final StepKernels k;
    private final ParamTable table;
    private final LossTotals totals;
    private final Tensor images, labels, dlogits, lr, coef;
    private final float momentum, weightDecay;
    private final double gradClip;
    /** The key of mixture-mode graphs (a single-path graph's key is its path). */
    private static final Object MIXTURE = new Object();

    private boolean capture;
    /** What the current graph (or the warm-up step before it) was made for: a path, or MIXTURE. */
    private Object key;
    private GraphCapture.Graph graph;
    private boolean warm;
    private float lrOnDevice = Float.NaN;
    private int captures, replays;

    /** capture false runs the same step eagerly every time (the reference the graph is measured against). */
    GraphedSupernetStep(GraphCapture graphs, SuperNet net, Sgd sgd, SearchConfig cfg, Tensor images, Tensor labels, Tensor dlogits,
                        boolean capture) {
        this.graphs = graphs;
        this.capture = capture;
        this.net = net;
        this.sgd = sgd;
        this.k = graphs.stepKernels();
        List<Param> params = net.params();
        this.table = k.table(params.stream().map(Param::value).toList(), params.stream().map(Param::grad).toList(),
                sgd.state().stream().map(NamedTensor::tensor).toList());
        this.totals = k.lossTotals(images.n());
        this.images = images;
        this.labels = labels;
        this.dlogits = dlogits;
        this.lr = k.scalar(0f);
        this.coef = k.scalar(1f);
        this.momentum = (float) cfg.supernet().momentum();
        this.weightDecay = (float) cfg.supernet().weightDecay();
        this.gradClip = cfg.supernet().gradClip();
    }

    /** One weight step on the batch already in images and labels, with the supernet set to path, at lr. */
    void step(SampledPath path, float learningRate) {
        Checks.notNull("path", path);
        if (!net.singlePath()) throw new IllegalStateException("a single-path step needs the supernet in single-path mode (setPath)");
        run(path, learningRate);
    }

    /** One weight step on the batch already in images and labels, with the supernet in mixture mode, at lr. */
    void mixtureStep(float learningRate) {
        if (net.singlePath()) throw new IllegalStateException("a mixture step needs the supernet in mixture mode (setMixture)");
        run(MIXTURE, learningRate);
    }

    private void run(Object key, float learningRate) {
        Checks.nonNegative("learning rate", learningRate);
        if (!key.equals(this.key)) {
            closeGraph();
            this.key = key;
            warm = false;
        }
        if (Float.floatToRawIntBits(learningRate) != Float.floatToRawIntBits(lrOnDevice)) {
            lr.fromHost(new float[] {learningRate});
            lrOnDevice = learningRate;
        }
        if (capture && graph == null && warm) tryCapture();
        if (graph != null) {
            graph.replay();
            replays++;
        } else {
            body();
            warm = true;
        }
        sgd.setSteps(sgd.steps() + 1);
    }

    /** Captures the step; when something in it cannot be captured, says so once and runs eagerly from now on. */
    private void tryCapture() {
        try {
            graph = graphs.capture(this::body);
            captures++;
        } catch (GraphCapture.RefusedException e) {
            capture = false;
            System.err.println(graphs.name() + " off: the supernet step cannot be captured (" + e.getMessage() + "); its steps run eagerly");
        }
    }

    private void body() {
        k.zeroGrads(table);
        net.zeroMixtureGrad();
        Tensor logits = net.forward(images);
        k.softmaxCrossEntropy(logits, labels, dlogits, totals);
        net.backward(dlogits);
        k.clipCoefficient(table, gradClip, coef);
        k.sgdStep(table, lr, coef, momentum, weightDecay);
    }

    /** The loss totals since the last drain, read back once, and zeroed. */
    StepKernels.Totals drain() {
        StepKernels.Totals r = totals.read();
        totals.reset();
        return r;
    }

    /** Graphs captured so far (one per path that ran more than one step, one for a run of mixture steps). */
    int captures() { return captures; }

    /** Steps run by replaying a graph. */
    int replays() { return replays; }

    private void closeGraph() {
        if (graph != null) graph.close();
        graph = null;
    }

    @Override public void close() { closeGraph(); }
}
