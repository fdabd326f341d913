package org.proxynas.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Work splitting for the CPU kernels. Every index is processed by exactly one task and each task's work is
 * fixed by the index alone, so results do not depend on scheduling: a kernel is deterministic for a seed and a
 * thread count. Reductions use {@link #chunks} with a fixed chunk count and combine partials in order.
 */
public final class Parallel {
    private final ForkJoinPool pool;
    private final int threads;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() { return threads; }

    /** Runs body(i) for i in [0, n); small n or one thread runs inline. */
    public void forEach(int n, IntConsumer body) {
        if (n <= 0) return;
        if (pool == null || n == 1) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        int grain = Math.max(1, n / (threads * 4));
        pool.invoke(new Range(0, n, grain, body));
    }

    /**
     * Splits [0, n) into a fixed number of contiguous chunks (independent of scheduling) and runs
     * body(chunk, start, end) for each; returns the chunk count so callers can size partial buffers.
     */
    public int chunks(int n, ChunkBody body) {
        int count = Math.max(1, Math.min(n, threads * 4));
        forEach(count, c -> {
            long start = (long) n * c / count;
            long end = (long) n * (c + 1) / count;
            body.run(c, (int) start, (int) end);
        });
        return count;
    }

    /** The chunk count {@link #chunks} will use for n items. */
    public int chunkCount(int n) { return Math.max(1, Math.min(n, threads * 4)); }

    public void shutdown() { if (pool != null) pool.shutdown(); }

    @FunctionalInterface
    public interface ChunkBody { void run(int chunk, int start, int end); }

    private static final class Range extends RecursiveAction {
        private final int lo, hi, grain;
        private final IntConsumer body;

        Range(int lo, int hi, int grain, IntConsumer body) { this.lo = lo; this.hi = hi; this.grain = grain; this.body = body; }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                for (int i = lo; i < hi; i++) body.accept(i);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(lo, mid, grain, body), new Range(mid, hi, grain, body));
        }
    }
}
