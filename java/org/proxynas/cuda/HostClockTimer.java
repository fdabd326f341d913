package org.proxynas.cuda;

import org.proxynas.tensor.DeviceTimer;

/**
 * The emulation's device clock: host time, which is device time there because every emulated launch runs to
 * completion before it returns. A read counts as a host synchronisation, as the driver's event wait does.
 */
final class HostClockTimer implements DeviceTimer {
    private final Runnable onSync;
    private long startNanos = -1;

    HostClockTimer(Runnable onSync) { this.onSync = onSync; }

    @Override public void start() { startNanos = System.nanoTime(); }

    @Override
    public float stopMillis() {
        if (startNanos < 0) throw new IllegalStateException("stopMillis before start");
        onSync.run();
        return (System.nanoTime() - startNanos) / 1e6f;
    }

    @Override public boolean measuresDevice() { return false; }

    @Override public void close() {}
}
