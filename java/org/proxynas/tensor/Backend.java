package org.proxynas.tensor;

/**
 * A compute backend: allocates tensors, moves data between host and device, and implements the kernel interface.
 * Porting ProxyNAS to another accelerator means implementing this interface and passing the conformance suite.
 */
public interface Backend extends AutoCloseable {
    /** Short name: "cpu" or "cuda". */
    String name();

    /** One line for {@code proxynas info}: threads, device, and so on. */
    String describe();

    /** A new zero-filled tensor. */
    Tensor allocate(int... shape);

    /** Host to device copy; {@code src.length} must equal {@code dst.size()}. */
    void copyFromHost(float[] src, Tensor dst);

    /** Device to host copy; {@code dst.length} must equal {@code src.size()}. */
    void copyToHost(Tensor src, float[] dst);

    /** Device to device copy of equal-sized tensors. */
    void copy(Tensor src, Tensor dst);

    Kernels kernels();

    /** Waits for all queued work. A no-op on synchronous backends. */
    void synchronize();

    @Override
    void close();

    /** A device-side clock for benchmarks; empty where the backend has none (the CPU: use host time). */
    default java.util.Optional<DeviceTimer> deviceTimer() { return java.util.Optional.empty(); }

    /**
     * The most device memory this backend has held at once, in bytes (its allocator's high-water mark), for
     * benchmarks; empty where it keeps no such count (the CPU backend: its tensors are Java heap arrays).
     */
    default java.util.OptionalLong peakDeviceBytes() { return java.util.OptionalLong.empty(); }

    /**
     * Graph capture ({@link GraphCapture}), where the backend can record a step's launches once and replay them;
     * empty where it cannot (the CPU backend), and callers then run the same work eagerly.
     */
    default java.util.Optional<GraphCapture> graphCapture() { return java.util.Optional.empty(); }

    default Tensor allocateLike(Tensor t) { return allocate(t.shape()); }

    default Tensor fromHost(float[] data, int... shape) {
        Tensor t = allocate(shape);
        copyFromHost(data, t);
        return t;
    }
}
