package org.proxynas.nn;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A pool of activation and gradient buffers keyed by shape. Layers take their outputs here and give them back
 * when a step is over, so a steady-state training step allocates nothing. Buffers come back dirty: kernels
 * that use them write with accumulate = false (or fill them) first.
 */
public final class Workspace {
    private final Backend backend;
    private final Map<Key, ArrayDeque<Tensor>> free = new HashMap<>();

    public Workspace(Backend backend) { this.backend = backend; }

    public Backend backend() { return backend; }

    public Tensor take(int... shape) {
        ArrayDeque<Tensor> q = free.get(new Key(shape));
        if (q != null && !q.isEmpty()) return q.pop();
        return backend.allocate(shape);
    }

    /** A buffer of the given shape filled with zeros. */
    public Tensor takeZeroed(int... shape) {
        Tensor t = take(shape);
        backend.kernels().fill(t, 0f);
        return t;
    }

    public void give(Tensor t) {
        if (t != null) free.computeIfAbsent(new Key(t.shape()), k -> new ArrayDeque<>()).push(t);
    }


    private record Key(int[] shape) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(shape, k.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
    }
}
