package org.proxynas.run;

import org.proxynas.nn.NamedTensor;
import org.proxynas.nn.Param;

import java.util.List;

/** Copies network weights, buffers and optimiser state between tensors and a checkpoint (explicit host copies). */
public final class TensorState {
    private TensorState() {}

    public static void saveParams(Checkpoint c, String prefix, List<Param> params) {
        for (Param p : params) c.put(prefix + p.name(), p.value().toHost());
    }

    public static void loadParams(Checkpoint c, String prefix, List<Param> params) {
        for (Param p : params) p.value().fromHost(c.get(prefix + p.name(), p.value().size()));
    }

    public static void saveTensors(Checkpoint c, String prefix, List<NamedTensor> tensors) {
        for (NamedTensor t : tensors) c.put(prefix + t.name(), t.tensor().toHost());
    }

    public static void loadTensors(Checkpoint c, String prefix, List<NamedTensor> tensors) {
        for (NamedTensor t : tensors) t.tensor().fromHost(c.get(prefix + t.name(), t.tensor().size()));
    }
}
