package org.proxynas.nn;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * A pool of activation and gradient buffers keyed by shape. Layers take their outputs here and give them back
 * when a step is over, so a steady-state training step allocates nothing. Buffers come back dirty: kernels
 * that use them write with accumulate = false (or fill them) first.
 *
 * <p>A take hands out the free buffer of that shape made first (not the last one given back), so every step that
 * starts with all buffers free and takes and gives in the same order gets the same buffers as the first such step:
 * a buffer made during the first step is newer than every buffer that existed before it, so it is handed out only
 * where the first step had to make it. The CUDA backend relies on this: kernel tables keyed by device pointers hit
 * on the second step of a path, so that step can be captured as a graph.
 */
public final class Workspace {
    private final Backend backend;
    private final Map<Key, TreeMap<Long, Tensor>> free = new HashMap<>();
    /** Creation order of the buffers this workspace made or was given (weak: a buffer kept elsewhere may be dropped). */
    private final Map<Tensor, Long> order = new WeakHashMap<>();
    private long made;
    private long allocatedElements;

    public Workspace(Backend backend) { this.backend = backend; }

    public Backend backend() { return backend; }

    public Tensor take(int... shape) {
        TreeMap<Long, Tensor> q = free.get(new Key(shape));
        if (q != null && !q.isEmpty()) return q.pollFirstEntry().getValue();
        Tensor t = backend.allocate(shape);
        allocatedElements += t.size();
        order.put(t, made++);
        return t;
    }

    /** A buffer of the given shape filled with zeros. */
    public Tensor takeZeroed(int... shape) {
        Tensor t = take(shape);
        backend.kernels().fill(t, 0f);
        return t;
    }

    public void give(Tensor t) {
        if (t == null) return;
        long rank = order.computeIfAbsent(t, k -> made++);
        free.computeIfAbsent(new Key(t.shape()), k -> new TreeMap<>()).put(rank, t);
    }

    /** Elements of every buffer this workspace allocated: its high-water mark, as buffers are never freed. */
    public long allocatedElements() { return allocatedElements; }

    private record Key(int[] shape) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(shape, k.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
    }
}
