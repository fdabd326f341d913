package org.proxynas.bench;

import org.proxynas.tensor.Backend;
import org.proxynas.tensor.DeviceTimer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Times one step: host wall time always, device time from the backend's {@link DeviceTimer} (CUDA events) where
 * it has one, and the CPU time the JVM's threads spent meanwhile (the caller and the backend's workers; GC and
 * JIT threads are not Java threads and are not counted), which other jobs on a shared machine inflate far less
 * than wall time. (The process CPU clock is too coarse for millisecond steps: 10 ms ticks on Linux.) Without a device clock the step is followed by a
 * synchronize, and its device time is the wall time.
 */
final class StepTimer implements AutoCloseable {
    /** One step's times in milliseconds; device is the wall time when there is no device clock. */
    record Sample(double deviceMs, double wallMs, double cpuMs) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Backend backend;
    private final DeviceTimer device;

    StepTimer(Backend backend) {
        this.backend = backend;
        this.device = backend.deviceTimer().orElse(null);
    }

    /** Whether the step times are a device clock's (not the emulation's host clock standing in for one). */
    boolean onDevice() { return device != null && device.measuresDevice(); }

    Sample time(Runnable step) {
        long cpu0 = threadsCpuNanos(), t0 = System.nanoTime();
        if (device != null) {
            device.start();
            step.run();
            double ms = device.stopMillis();
            return new Sample(ms, (System.nanoTime() - t0) * 1e-6, (threadsCpuNanos() - cpu0) * 1e-6);
        }
        step.run();
        backend.synchronize();
        double wall = (System.nanoTime() - t0) * 1e-6;
        return new Sample(wall, wall, (threadsCpuNanos() - cpu0) * 1e-6);
    }

    private static long threadsCpuNanos() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) sum += Math.max(0, THREADS.getThreadCpuTime(id));
        return sum;
    }

    @Override
    public void close() { if (device != null) device.close(); }
}
