package org.proxynas.experiment;

/** An invalid experiment plan or experiment directory: the message names the file and field. */
public final class PlanException extends IllegalArgumentException {
    public PlanException(String message) { super(message); }
}
