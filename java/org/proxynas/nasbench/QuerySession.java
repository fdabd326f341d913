package org.proxynas.nasbench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.space.Genotype;

/**
 * The budget of one (method, seed) unit. A query is one unique genotype sent to the oracle (NASLib counts unique
 * queries): a repeat of a genotype already seen is answered from the cache and costs nothing. A method that keeps
 * repeating itself is stopped after {@link #STALL_FACTOR} times the budget in calls, so every unit ends.
 */
public final class QuerySession {
    /** Calls allowed per unit of budget before a unit counts as stalled. */
    public static final int STALL_FACTOR = 20;

    /** Thrown by {@link #query} when the budget is spent (or the method stalled); ends the method. */
    public static final class BudgetSpent extends RuntimeException {
        BudgetSpent() { super(null, null, false, false); }
    }

    private final Oracle oracle;
    private final int budget;
    private final Map<Genotype, Double> cache = new HashMap<>();
    private final List<QueryRecord> records = new ArrayList<>();
    private long calls;
    private double best = Double.NEGATIVE_INFINITY;

    public QuerySession(Oracle oracle, int budget) {
        if (budget < 1) throw new IllegalArgumentException("--queries must be >= 1, got " + budget);
        this.oracle = oracle;
        this.budget = budget;
    }

    public int budget() { return budget; }

    /** Unique queries spent so far. */
    public int used() { return records.size(); }

    public int remaining() { return budget - records.size(); }

    public boolean isSpent() { return remaining() <= 0 || calls >= (long) STALL_FACTOR * budget; }

    /** The best accuracy seen so far (-inf before the first query). */
    public double best() { return best; }

    /** Whether this genotype would be answered from the cache. */
    public boolean seen(Genotype g) { return cache.containsKey(Canonical.of(g)); }

    /** The genotype's accuracy: from the cache for a repeat, else one counted oracle query. */
    public double query(Genotype g) {
        if (isSpent()) throw new BudgetSpent();
        calls++;
        Genotype key = Canonical.of(g);
        Double hit = cache.get(key);
        if (hit != null) return hit;
        double acc = oracle.accuracy(List.of(key))[0];
        if (!Double.isFinite(acc)) throw new IllegalStateException("the " + oracle.name() + " oracle returned " + acc + " for " + key.toJson());
        cache.put(key, acc);
        best = Math.max(best, acc);
        records.add(new QueryRecord(records.size() + 1, key.toJson(), acc, best, Double.NaN, Double.NaN));
        return acc;
    }

    /** Sets the prediction and label of the latest counted query (PVLL knows its label only after the answer). */
    public void annotateLast(double predicted, double label) {
        if (records.isEmpty()) return;
        QueryRecord r = records.getLast();
        records.set(records.size() - 1, new QueryRecord(r.query(), r.genotype(), r.accuracy(), r.best(), predicted, label));
    }

    /** The counted queries so far, in order. */
    public List<QueryRecord> records() { return List.copyOf(records); }
}
