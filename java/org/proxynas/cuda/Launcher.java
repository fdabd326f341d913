package org.proxynas.cuda;

/**
 * The seam under {@link CudaBackend}: device memory and kernel launches by name. {@link DriverLauncher} runs the
 * fatbin on a GPU through the driver; {@link EmulatedLauncher} runs the same kernel sources compiled for the host
 * (DESIGN.md section 3), so the backend and its conformance tests run on machines without a GPU.
 *
 * <p>Device pointers are {@code long} addresses. Kernel arguments are passed as {@link Integer} (C int),
 * {@link Long} (C long long), {@link Float} (C float) and {@link Ptr} (a device pointer). Launches are queued in
 * order on one stream; copies to and from the host wait for the queued work.
 */
public interface Launcher extends AutoCloseable {
    /** A device pointer as a kernel argument. */
    record Ptr(long address) {}

    /** One line: which device or library runs the kernels. */
    String describe();

    long malloc(long bytes);

    void free(long ptr);

    void upload(float[] src, long dst, int count);

    void download(long src, float[] dst, int count);

    void copy(long src, long dst, long bytes);

    /** The largest grid worth launching for a grid-stride kernel (kernels are correct for any grid). */
    int maxGridX();

    /** Launches kernel on gridX blocks of blockX threads with sharedBytes of dynamic shared memory. */
    void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args);

    void synchronize();

    @Override
    void close();
}
