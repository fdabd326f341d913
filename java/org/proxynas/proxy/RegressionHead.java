package org.proxynas.proxy;

import org.proxynas.nn.Param;
import java.util.HashMap;
import java.util.Map;
import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

/**
 * The GAE regression head ({@code PredictorForGraph}, docs/method.md#gae): concat(Z_normal, Z_reduce) per node →
 * ReLU → Linear(2·latent → hidden) → ReLU → mean over the 17 nodes → Linear(hidden → 1) → ŷ = 2·sigmoid.
 * The node mean is a batched product with a [B,1,17] matrix of 1/17.
 */
final class RegressionHead {
    private final Backend backend;
    private final Kernels k;
    private final int latent, hidden;
    final ParamSet params;
    private final Param w1, b1, w2, b2;
    private final Map<Integer, Pass> passes = new HashMap<>();

    RegressionHead(Backend backend, Rng initRng, int latent, int hidden) {
        this.backend = backend;
        this.k = backend.kernels();
        this.latent = latent;
        this.hidden = hidden;
        params = new ParamSet(backend);
        double bound1 = 1 / Math.sqrt(2.0 * latent), bound2 = 1 / Math.sqrt(hidden);
        w1 = params.add(Param.uniform(backend, initRng, "head.fc1.weight", bound1, hidden, 2 * latent));
        b1 = params.add(Param.uniform(backend, initRng, "head.fc1.bias", bound1, hidden));
        w2 = params.add(Param.uniform(backend, initRng, "head.fc2.weight", bound2, 1, hidden));
        b2 = params.add(Param.uniform(backend, initRng, "head.fc2.bias", bound2, 1));
    }

    /** Activations and gradient buffers for one batch size. */
    final class Pass {
        final int batch;
        final Tensor c, c1, d, d1, avg, e, f, s, y, dy, ds, df, de, dd1, dd, dc1, dc, dzn, dzr;

        Pass(int batch) {
            this.batch = batch;
            int rows = batch * CellGraphs.NODES;
            c = backend.allocate(rows, 2 * latent);
            c1 = backend.allocate(rows, 2 * latent);
            d = backend.allocate(rows, hidden);
            d1 = backend.allocate(rows, hidden);
            avg = backend.allocate(batch, 1, CellGraphs.NODES);
            k.fill(avg, 1f / CellGraphs.NODES);
            e = backend.allocate(batch, hidden);
            f = backend.allocate(batch, 1);
            s = backend.allocate(batch, 1);
            y = backend.allocate(batch, 1);
            dy = backend.allocate(batch, 1);
            ds = backend.allocate(batch, 1);
            df = backend.allocate(batch, 1);
            de = backend.allocate(batch, hidden);
            dd1 = backend.allocate(rows, hidden);
            dd = backend.allocate(rows, hidden);
            dc1 = backend.allocate(rows, 2 * latent);
            dc = backend.allocate(rows, 2 * latent);
            dzn = backend.allocate(rows, latent);
            dzr = backend.allocate(rows, latent);
        }
    }

    /** ŷ [B,1] from the latent codes [B·17, latent] of the normal and reduction graphs. */
    Pass forward(Tensor zNormal, Tensor zReduce) {
        int batch = zNormal.dim(0) / CellGraphs.NODES;
        if (passes.size() > 8 && !passes.containsKey(batch)) passes.clear();
        Pass p = passes.computeIfAbsent(batch, Pass::new);
        int n = CellGraphs.NODES;
        k.copyChannels(zNormal, 0, p.c, 0, latent, false);
        k.copyChannels(zReduce, 0, p.c, latent, latent, false);
        k.relu(p.c, p.c1);
        k.linearForward(p.c1, w1.value(), b1.value(), p.d);
        k.relu(p.d, p.d1);
        k.batchedMatMul(p.avg, p.d1.reshape(batch, n, hidden), p.e.reshape(batch, 1, hidden), false, false, false);
        k.linearForward(p.e, w2.value(), b2.value(), p.f);
        k.sigmoid(p.f, p.s);
        backend.copy(p.s, p.y);
        k.scale(p.y, 2f);
        return p;
    }

    /** From p.dy: parameter gradients (when asked) and dJ/dZ_normal, dJ/dZ_reduce into p.dzn, p.dzr (overwritten). */
    void backward(Pass p, boolean paramGrads) {
        int batch = p.batch, n = CellGraphs.NODES;
        backend.copy(p.dy, p.ds);
        k.scale(p.ds, 2f);
        k.sigmoidBackward(p.s, p.ds, p.df, false);
        if (paramGrads) k.linearBackwardParams(p.e, p.df, w2.grad(), b2.grad());
        k.linearBackwardData(p.df, w2.value(), p.de, false);
        k.batchedMatMul(p.avg, p.de.reshape(batch, 1, hidden), p.dd1.reshape(batch, n, hidden), true, false, false);
        k.reluBackward(p.d1, p.dd1, p.dd, false);
        if (paramGrads) k.linearBackwardParams(p.c1, p.dd, w1.grad(), b1.grad());
        k.linearBackwardData(p.dd, w1.value(), p.dc1, false);
        k.reluBackward(p.c1, p.dc1, p.dc, false);
        k.copyChannels(p.dc, 0, p.dzn, 0, latent, false);
        k.copyChannels(p.dc, latent, p.dzr, 0, latent, false);
    }
}
