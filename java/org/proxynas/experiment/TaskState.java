package org.proxynas.experiment;

/** Where a task stands. FAILED, INCOMPLETE and MISSING are what a resume runs again. */
public enum TaskState {
    /** Its run directory holds the finished result. */
    DONE,
    /** Queued or running according to the scheduler. */
    PENDING, RUNNING,
    /** The scheduler reports it ended without a result (failed, cancelled, timed out, ...). */
    FAILED,
    /** Its run directory exists without a result and no scheduler knows it as queued or running. */
    INCOMPLETE,
    /** Never started: no run directory, no scheduler record. */
    MISSING;

    public boolean needsRun() { return this == FAILED || this == INCOMPLETE || this == MISSING; }

    public boolean active() { return this == PENDING || this == RUNNING; }
}
