package org.proxynas.bench;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DeviceTimer;

/**
 * Times one step: host wall time always, and device time from the backend's {@link DeviceTimer} (CUDA events)
 * where it has one. Without a device clock the step is followed by a synchronize, and its time is the wall time.
 */
final class StepTimer implements AutoCloseable {
    /** One step's times in milliseconds; device is the wall time when there is no device clock. */
    record Sample(double deviceMs, double wallMs) {}

    private final Backend backend;
    private final DeviceTimer device;

    StepTimer(Backend backend) {
        this.backend = backend;
        this.device = backend.deviceTimer().orElse(null);
    }

    boolean onDevice() { return device != null; }

    Sample time(Runnable step) {
        long t0 = System.nanoTime();
        if (device != null) {
            device.start();
            step.run();
            double ms = device.stopMillis();
            return new Sample(ms, (System.nanoTime() - t0) * 1e-6);
        }
        step.run();
        backend.synchronize();
        double wall = (System.nanoTime() - t0) * 1e-6;
        return new Sample(wall, wall);
    }

    @Override
    public void close() { if (device != null) device.close(); }
}
