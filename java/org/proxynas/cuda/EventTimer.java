package org.proxynas.cuda;

import org.proxynas.tensor.DeviceTimer;

import java.lang.foreign.MemorySegment;

/** Device time between two CUDA events recorded on the launcher's stream (cuEventElapsedTime). */
final class EventTimer implements DeviceTimer {
    private final CudaDriver driver;
    private final MemorySegment stream, begin, end;
    private final Runnable makeCurrent, onSync;
    private boolean started, closed;

    /**
     * makeCurrent makes the stream's context current on the calling thread (contexts are per thread); onSync counts
     * the host synchronisation of each read.
     */
    EventTimer(CudaDriver driver, MemorySegment stream, Runnable makeCurrent, Runnable onSync) {
        this.driver = driver;
        this.stream = stream;
        this.makeCurrent = makeCurrent;
        this.onSync = onSync;
        makeCurrent.run();
        this.begin = driver.eventCreate(CudaDriver.EVENT_DEFAULT);
        MemorySegment e;
        try {
            e = driver.eventCreate(CudaDriver.EVENT_DEFAULT);
        } catch (RuntimeException ex) {
            driver.eventDestroy(begin);
            throw ex;
        }
        this.end = e;
    }

    @Override
    public void start() {
        makeCurrent.run();
        driver.eventRecord(begin, stream);
        started = true;
    }

    @Override
    public float stopMillis() {
        if (!started) throw new IllegalStateException("stopMillis before start");
        makeCurrent.run();
        driver.eventRecord(end, stream);
        onSync.run();
        driver.eventSynchronize(end);
        return driver.eventElapsedMillis(begin, end);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        makeCurrent.run();
        driver.eventDestroy(begin);
        driver.eventDestroy(end);
    }
}
