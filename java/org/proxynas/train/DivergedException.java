package org.proxynas.train;

/** A loss or gradient became NaN or infinite: training stops and names where. */
public final class DivergedException extends RuntimeException {
    public DivergedException(String message) { super(message); }
}
