package org.proxynas.bench;

/**
 * The time budget of a benchmark session (--budget-seconds). A step in progress cannot be interrupted, so the
 * bound is kept by not starting a step that, taking as long as the previous one, would end past the budget.
 */
final class Budget {
    private final double seconds;
    private final long start = System.nanoTime();

    Budget(double seconds) { this.seconds = seconds; }

    double seconds() { return seconds; }

    double elapsed() { return (System.nanoTime() - start) * 1e-9; }

    double remaining() { return Math.max(0, seconds - elapsed()); }

    /** Whether a step expected to take stepSeconds would still end within the budget. */
    boolean allows(double stepSeconds) { return elapsed() + stepSeconds <= seconds; }
}
