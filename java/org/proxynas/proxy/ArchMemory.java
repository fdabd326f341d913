package org.proxynas.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.proxynas.space.ArchParams;

/**
 * The memory M = {(Ã_i, ℓ_i)} of docs/method.md#proxy: a FIFO of relaxed-architecture encodings (224 floats,
 * {@link org.proxynas.space.RelaxedArch#encoding()}) with their measured validation loss. When full, adding drops
 * the oldest entry. Entries are copied in and out, so callers cannot change what is stored. Not thread-safe.
 */
public final class ArchMemory {
    /** The reference capacity. */
    public static final int DEFAULT_CAPACITY = 100;

    /** One stored pair; the encoding is a private copy (do not modify it). */
    public record Entry(float[] encoding, double loss) {
        public Entry {
            Encodings.check(encoding, "encoding");
            if (!Double.isFinite(loss)) throw new IllegalArgumentException("validation loss must be finite, got " + loss);
            encoding = encoding.clone();
        }

        @Override public float[] encoding() { return encoding.clone(); }
    }

    /** The whole memory for a checkpoint: capacity and entries, oldest first. */
    public record Snapshot(int capacity, List<Entry> entries) {
        public Snapshot {
            entries = List.copyOf(entries);
            if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            if (entries.size() > capacity) {
                throw new IllegalArgumentException(entries.size() + " entries exceed the capacity " + capacity);
            }
        }
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;

    public ArchMemory() { this(DEFAULT_CAPACITY); }

    public ArchMemory(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("memory capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    /** Adds a pair; returns the entry that dropped out (the oldest) or null. */
    public Entry add(float[] encoding, double loss) {
        Entry e = new Entry(encoding, loss);
        Entry dropped = entries.size() == capacity ? entries.pollFirst() : null;
        entries.addLast(e);
        return dropped;
    }

    public int size() { return entries.size(); }

    public int capacity() { return capacity; }

    public boolean isEmpty() { return entries.isEmpty(); }

    /** Entry i, 0 = the oldest. */
    public Entry get(int i) {
        if (i < 0 || i >= entries.size()) throw new IndexOutOfBoundsException("entry " + i + " of " + entries.size());
        Iterator<Entry> it = entries.iterator();
        for (int j = 0; j < i; j++) it.next();
        return it.next();
    }

    /** Copies of all encodings, oldest first. */
    public float[][] encodings() {
        float[][] out = new float[entries.size()][];
        int i = 0;
        for (Entry e : entries) out[i++] = e.encoding();
        return out;
    }

    /** All labels, oldest first. */
    public double[] labels() {
        double[] out = new double[entries.size()];
        int i = 0;
        for (Entry e : entries) out[i++] = e.loss();
        return out;
    }

    public Snapshot snapshot() { return new Snapshot(capacity, new ArrayList<>(entries)); }

    /** A memory holding exactly what the snapshot holds. */
    public static ArchMemory restore(Snapshot s) {
        ArchMemory m = new ArchMemory(s.capacity());
        m.entries.addAll(s.entries());
        return m;
    }

    /** Encoding length (224). */
    public static int encodingSize() { return ArchParams.SIZE; }
}
