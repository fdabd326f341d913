package org.proxynas.nasbench;

import java.util.List;

/** The counted queries of one (method, seed) unit, in order. */
public record UnitResult(Method method, long seed, List<QueryRecord> records) {
    public UnitResult {
        records = List.copyOf(records);
    }

    /** Best accuracy after q queries (q ≥ 1); a unit that stopped early keeps its last best. */
    public double bestAfter(int q) {
        if (records.isEmpty()) return Double.NaN;
        return records.get(Math.min(q, records.size()) - 1).best();
    }

    public String name() { return method.id() + "/seed-" + seed; }
}
