package org.proxynas.tensor;

/**
 * Elapsed device time around work queued on a backend (CUDA events on a GPU). Benchmarks report it beside host
 * wall time; a backend without a device clock offers none ({@link Backend#deviceTimer()}).
 */
public interface DeviceTimer extends AutoCloseable {
    /** Marks the start in the backend's queue. */
    void start();

    /** Marks the end, waits for it, and returns milliseconds since the last {@link #start()}. */
    float stopMillis();

    /**
     * Whether the clock is a device's (CUDA events on a GPU). The CUDA emulation's timer is the host clock around
     * work run on the CPU: a benchmark must not report its times as device times.
     */
    default boolean measuresDevice() { return true; }

    @Override
    void close();
}
