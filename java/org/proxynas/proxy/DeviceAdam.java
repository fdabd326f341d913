package org.proxynas.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * PyTorch Adam over a list of {@link TensorParam}s, on the device through {@code Kernels.adamStep}. The regressor
 * optimiser of docs/method.md#proxy: lr 1e-3, betas (0.5, 0.999), eps 1e-8, no weight decay. Its moments and step
 * count are part of a regressor file.
 */
final class DeviceAdam {
    private final Backend backend;
    private final AdamConfig config;
    private final List<TensorParam> params;
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
    private int step;

    DeviceAdam(Backend backend, List<TensorParam> params, AdamConfig config) {
        this.backend = backend;
        this.config = config;
        this.params = List.copyOf(params);
        for (TensorParam p : this.params) {
            m.add(backend.allocate(p.value().shape()));
            v.add(backend.allocate(p.value().shape()));
        }
    }

    AdamConfig config() { return config; }

    int stepCount() { return step; }

    /** One update of every parameter from its accumulated gradient. */
    void step() {
        step++;
        for (int i = 0; i < params.size(); i++) {
            TensorParam p = params.get(i);
            backend.kernels().adamStep(p.value(), p.grad(), m.get(i), v.get(i), (float) config.lr(),
                    (float) config.beta1(), (float) config.beta2(), (float) config.eps(),
                    (float) config.weightDecay(), step);
        }
    }

    /** Moment tensors by name ({@code adam.m.<param>}, {@code adam.v.<param>}), for files. */
    Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            s.put("adam.m." + params.get(i).name(), m.get(i));
            s.put("adam.v." + params.get(i).name(), v.get(i));
        }
        return s;
    }

    void setStepCount(int step) {
        if (step < 0) throw new IllegalArgumentException("Adam step count must be >= 0, got " + step);
        this.step = step;
    }

    /** Forgets the moments (a fresh optimiser on the same parameters). */
    void reset() {
        step = 0;
        for (Tensor t : m) backend.kernels().fill(t, 0f);
        for (Tensor t : v) backend.kernels().fill(t, 0f);
    }
}
