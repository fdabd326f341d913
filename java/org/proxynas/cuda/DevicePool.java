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
 * 16 MiB above (exact sizes under the bounds-checking emulation). Blocks go back to the device when the pool closes, and once when the device is out of memory: the
 * cached free blocks are released and the allocation is retried, and a second failure names the size asked and the
 * bytes held. Thread-safe (buffers come back from the cleaner thread).
 */
final class DevicePool {
    private static final long LARGE = 64L << 20, LARGE_STEP = 16L << 20, MIN = 256;
    /** CUDA_ERROR_OUT_OF_MEMORY. */
    static final int OUT_OF_MEMORY = 2;

    private final Launcher launcher;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final Set<Long> all = new HashSet<>();
    private long mallocs;
    private long heldBytes, peakBytes;
    private boolean closed;

    DevicePool(Launcher launcher) { this.launcher = launcher; }

    /**
     * The block size that serves bytes: its size class, or exactly bytes where the launcher catches accesses past
     * an allocation's end ({@link Launcher#boundsChecked()}; a rounded-up block would hide them).
     */
    long blockSize(long bytes) { return launcher.boundsChecked() ? Math.max(bytes, 1) : sizeClass(bytes); }

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
        long ptr;
        try {
            ptr = launcher.malloc(sizeClass);
        } catch (CudaException e) {
            if (e.code() != OUT_OF_MEMORY) throw e;
            long released = releaseCached();
            try {
                ptr = launcher.malloc(sizeClass);
            } catch (CudaException again) {
                if (again.code() != OUT_OF_MEMORY) throw again;
                throw new CudaException("device out of memory: asked " + sizeClass + " bytes while the pool holds "
                        + heldBytes + " bytes in " + all.size() + " blocks in use (peak " + peakBytes + "), after "
                        + "releasing " + released + " cached free bytes and retrying", again);
            }
        }
        mallocs++;
        heldBytes += sizeClass;
        peakBytes = Math.max(peakBytes, heldBytes);
        all.add(ptr);
        return ptr;
    }

    /** Frees every cached free block back to the device; returns the bytes released. */
    private long releaseCached() {
        long released = 0;
        for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
            for (long p : e.getValue()) {
                launcher.free(p);
                all.remove(p);
                released += e.getKey();
            }
        }
        free.clear();
        heldBytes -= released;
        return released;
    }

    synchronized void give(long ptr, long sizeClass) {
        if (closed) return;  // freed with the pool
        free.computeIfAbsent(sizeClass, c -> new ArrayDeque<>()).push(ptr);
    }

    /** How many blocks were obtained from the device allocator (not from the free lists). */
    synchronized long mallocs() { return mallocs; }

    /** The most bytes this pool has held from the device allocator at once. */
    synchronized long deviceBytes() { return peakBytes; }

    synchronized void close() {
        if (closed) return;
        closed = true;
        for (long p : all) launcher.free(p);
        all.clear();
        free.clear();
    }
}
