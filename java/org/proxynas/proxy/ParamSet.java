package org.proxynas.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

/**
 * The named state of a model: trainable parameters (with gradients) and non-trainable buffers (BatchNorm running
 * statistics), in registration order. Names are unique; they key the tensors in a {@link ParamFile}.
 */
final class ParamSet {
    private final Backend backend;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    ParamSet(Backend backend) { this.backend = backend; }

    Param add(Param p) {
        checkNew(p.name());
        params.add(p);
        return p;
    }

    Tensor addBuffer(String name, Tensor t) {
        checkNew(name);
        buffers.put(name, t);
        return t;
    }

    private void checkNew(String name) {
        if (buffers.containsKey(name) || params.stream().anyMatch(p -> p.name().equals(name))) {
            throw new IllegalStateException("duplicate tensor name " + name);
        }
    }

    List<Param> params() { return Collections.unmodifiableList(params); }

    Map<String, Tensor> buffers() { return Collections.unmodifiableMap(buffers); }

    /** Every parameter value and buffer by name (the persistent state, without gradients). */
    Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Param p : params) m.put(p.name(), p.value());
        m.putAll(buffers);
        return m;
    }

    /** Named state tensors (optimiser moments) keyed by name, in order, to sit beside {@link #state()} in a file. */
    static Map<String, Tensor> byName(List<NamedTensor> named) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (NamedTensor t : named) m.put(t.name(), t.tensor());
        return m;
    }

    void zeroGrads() {
        for (Param p : params) backend.kernels().fill(p.grad(), 0f);
    }

    long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    /** Host copies of every value and buffer (a snapshot, e.g. the best pretraining epoch). */
    Map<String, float[]> snapshot() {
        Map<String, float[]> m = new LinkedHashMap<>();
        state().forEach((k, v) -> m.put(k, v.toHost()));
        return m;
    }

    void restore(Map<String, float[]> snapshot) {
        state().forEach((k, v) -> {
            float[] h = snapshot.get(k);
            if (h == null) throw new IllegalArgumentException("snapshot has no tensor " + k);
            v.fromHost(h);
        });
    }
}
