package org.proxynas.nn;

import org.proxynas.rng.Rng;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Kernels;

/** What every layer of one network shares: the backend, its buffer pool, train/eval mode and the init stream. */
public final class Net {
    private final Backend backend;
    private final Workspace workspace;
    private final Rng initRng;
    private boolean training = true;

    public Net(Backend backend, Rng initRng) {
        this.backend = backend;
        this.workspace = new Workspace(backend);
        this.initRng = initRng;
    }

    public Backend backend() { return backend; }
    public Kernels k() { return backend.kernels(); }
    public Workspace ws() { return workspace; }
    public Rng initRng() { return initRng; }
    public boolean training() { return training; }
    public void setTraining(boolean training) { this.training = training; }
}
