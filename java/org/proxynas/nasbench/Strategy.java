package org.proxynas.nasbench;

import org.proxynas.rng.Rng;

/** A search method under a query budget: it queries until {@link QuerySession.BudgetSpent} ends it (or it stops). */
public interface Strategy {
    void run(QuerySession session, Rng rng);
}
