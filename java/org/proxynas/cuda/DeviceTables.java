package org.proxynas.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Device copies of small per-call tables (the fused node-sum kernels' term tables: device pointers and per-term
 * weights, or the addresses of stored weights), keyed by the table's exact contents. A hit reuses the device copy and
 * uploads nothing, so a step that runs again on the same workspace buffers and weights needs no host copy, and can be
 * captured into a graph; a miss uploads (refused during a capture: the eager step before a capture must have made
 * every table the capture needs).
 *
 * <p>Bound: at most {@value #MAX_UNPINNED} entries no graph uses, least recently used evicted first (a supernet
 * step makes tens to a few hundred tables of 0.25-6 KiB each, so the steady state of a step always hits and the
 * cache stays within a few MiB; in mixture mode the tables hold the addresses of the mixture weights, not their
 * values, so they hit across alpha steps too). An entry used while a graph was captured is pinned until that graph is closed: a
 * live graph's launches read it. Evicted blocks go back to the pool; launches already queued that read them run
 * first, because every later use of the block is queued behind them on the one stream.
 */
final class DeviceTables {
    static final int MAX_UNPINNED = 4096;

    /** The table's raw float bits: two tables are the same entry only when every bit matches. */
    private record Key(int[] bits) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(bits, k.bits); }

        @Override public int hashCode() { return Arrays.hashCode(bits); }
    }

    private static final class Entry {
        final long address, sizeClass;
        int pins;

        Entry(long address, long sizeClass) {
            this.address = address;
            this.sizeClass = sizeClass;
        }
    }

    private final DevicePool pool;
    private final Launcher launcher;
    private final int maxUnpinned;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Entries used since the current capture began; not evictable until a graph claims (and later releases) them. */
    private final Set<Entry> captured = new HashSet<>();
    private long uploads;

    DeviceTables(DevicePool pool, Launcher launcher) { this(pool, launcher, MAX_UNPINNED); }

    /** maxUnpinned: the bound on entries no graph uses (small in tests, to see eviction). */
    DeviceTables(DevicePool pool, Launcher launcher, int maxUnpinned) {
        this.pool = pool;
        this.launcher = launcher;
        this.maxUnpinned = maxUnpinned;
    }

    /** The device address of a copy of table, uploaded only when no identical table is cached. */
    synchronized long address(float[] table) {
        int[] bits = new int[table.length];
        for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(table[i]);
        Key key = new Key(bits);
        Entry e = entries.get(key);
        if (e == null) {
            if (launcher.capturing()) {
                throw CaptureState.refusal("upload of a " + table.length
                        + "-float kernel table no eager call made before the capture");
            }
            long sizeClass = pool.blockSize(4L * table.length);
            e = new Entry(pool.take(sizeClass), sizeClass);
            launcher.upload(table, e.address, table.length);
            uploads++;
            entries.put(key, e);
            evict();
        }
        if (launcher.capturing()) captured.add(e);
        return e.address;
    }

    /** Pins the entries used since the capture began to graph: they stay until it is closed. */
    synchronized Launcher.Graph pinTo(Launcher.Graph graph) {
        List<Entry> pins = new ArrayList<>(captured);
        captured.clear();
        for (Entry e : pins) e.pins++;
        return new Launcher.Graph() {
            private boolean closed;

            @Override public void replay() { graph.replay(); }

            @Override public int nodes() { return graph.nodes(); }

            @Override public void close() {
                if (closed) return;
                closed = true;
                graph.close();
                release(pins);
            }
        };
    }

    /** Forgets the entries of an abandoned capture (no graph reads them). */
    synchronized void abandonCapture() {
        captured.clear();
        evict();
    }

    private synchronized void release(List<Entry> pins) {
        for (Entry e : pins) e.pins--;
        evict();
    }

    private boolean evictable(Entry e) { return e.pins == 0 && !captured.contains(e); }

    private void evict() {
        if (entries.size() <= maxUnpinned) return;
        int unpinned = 0;
        for (Entry e : entries.values()) if (evictable(e)) unpinned++;
        for (Iterator<Entry> it = entries.values().iterator(); unpinned > maxUnpinned && it.hasNext(); ) {
            Entry e = it.next();  // least recently used first
            if (!evictable(e)) continue;
            it.remove();
            pool.give(e.address, e.sizeClass);
            unpinned--;
        }
    }

    /** How many tables were uploaded (cache misses) so far. */
    synchronized long uploads() { return uploads; }

    /** How many tables are cached. */
    synchronized int size() { return entries.size(); }
}
