package org.proxynas.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Device memory by size class, reused: a block freed (when its tensor buffer becomes unreachable) goes back on
 * its class's free list, and the next request of that class takes it, so a training step's tensors of the same
 * shapes cost no {@code cuMemAlloc} after the first steps. Classes are powers of two up to 64 MiB, multiples of
 * 16 MiB above. Blocks go back to the device only when the pool closes, so the bytes obtained from the allocator
 * are also its high-water mark. Thread-safe (buffers come back from the cleaner thread).
 */
final class DevicePool {
    private static final long LARGE = 64L << 20, LARGE_STEP = 16L << 20, MIN = 256;

    private final Launcher launcher;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final Set<Long> all = new HashSet<>();
    private long mallocs;
    private long deviceBytes;
    private boolean closed;

    DevicePool(Launcher launcher) { this.launcher = launcher; }

    static long sizeClass(long bytes) {
        if (bytes <= MIN) return MIN;
        if (bytes <= LARGE) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    /** A device block of at least bytes; its size class must be passed back to {@link #give}. */
    synchronized long take(long sizeClass) {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
        ArrayDeque<Long> list = free.get(sizeClass);
        if (list != null && !list.isEmpty()) return list.pop();
        long ptr = launcher.malloc(sizeClass);
        mallocs++;
        deviceBytes += sizeClass;
        all.add(ptr);
        return ptr;
    }

    synchronized void give(long ptr, long sizeClass) {
        if (closed) return;  // freed with the pool
        free.computeIfAbsent(sizeClass, c -> new ArrayDeque<>()).push(ptr);
    }

    /** How many blocks were obtained from the device allocator (not from the free lists). */
    synchronized long mallocs() { return mallocs; }

    /** Bytes obtained from the device allocator: the most this pool has held at once (nothing is freed before close). */
    synchronized long deviceBytes() { return deviceBytes; }

    synchronized void close() {
        if (closed) return;
        closed = true;
        for (long p : all) launcher.free(p);
        all.clear();
        free.clear();
    }
}
