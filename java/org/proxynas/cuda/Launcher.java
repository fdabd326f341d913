package org.proxynas.cuda;

import org.proxynas.tensor.DeviceTimer;
import org.proxynas.tensor.GraphCapture;

/**
 * The seam under {@link CudaBackend}: device memory and kernel launches by name. {@link DriverLauncher} runs the
 * fatbin on a GPU through the driver; {@link EmulatedLauncher} runs the same kernel sources compiled for the host
 * (docs/architecture.md#backends), so the backend and its conformance tests run on machines without a GPU.
 *
 * <p>Device pointers are {@code long} addresses. Kernel arguments are passed as {@link Integer} (C int),
 * {@link Long} (C long long), {@link Float} (C float), {@link Double} and {@link Ptr} (a device pointer), each
 * exactly as the kernel declares it ({@link #abi()}: a mismatch is an error, not a conversion). Launches and
 * device-to-device copies are queued in order on one stream; copies to and from the host wait for the queued work.
 *
 * <p>Between {@link #beginCapture()} and {@link #endCapture()} launches and device-to-device copies are recorded
 * into a {@link Graph} instead of running; everything else (allocation, host copies, synchronisation) fails the
 * capture, as it does on the driver, so whatever captures under emulation captures on a GPU.
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

    /** Sets bytes of device memory at ptr to zero (queued like a launch; no kernel, so no thread start-up). */
    void zero(long ptr, long bytes);

    /** The largest grid worth launching for a grid-stride kernel (kernels are correct for any grid). */
    int maxGridX();

    /**
     * Whether a kernel's access past the end of an allocation fails its launch (the emulation's guard pages). The
     * {@link DevicePool} then hands out blocks of exactly the size asked: one rounded up to its size class would
     * hide the access.
     */
    default boolean boundsChecked() { return false; }

    /** Dynamic shared memory any launch may use; more needs {@link #optInShared} (48 KiB on every CUDA GPU). */
    int DEFAULT_SHARED_BYTES = 48 * 1024;

    /**
     * The most dynamic shared memory a kernel may opt in to (CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN):
     * the most any block gets. {@link #DEFAULT_SHARED_BYTES} where there is no opt-in; below it only on an emulated
     * test device ({@link EmulatedLauncher#EmulatedLauncher(java.nio.file.Path, int)}), which holds every launch to it.
     */
    int maxSharedOptIn();

    /**
     * Lets kernel's launches use up to bytes (at most {@link #maxSharedOptIn()}) of dynamic shared memory
     * (cuFuncSetAttribute CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES). A launch above
     * {@link #DEFAULT_SHARED_BYTES} without it fails, on the GPU and under emulation alike. Never lowers a limit.
     */
    void optInShared(String kernel, int bytes);

    /** Every kernel's launch bounds and parameter types, by which {@link #launch} packs its arguments. */
    KernelAbi abi();

    /**
     * Launches kernel on gridX blocks of blockX threads (at most its launch bounds, {@code abi().threads(kernel)})
     * with sharedBytes of dynamic shared memory.
     */
    void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args);

    void synchronize();

    /**
     * Host synchronisations so far: every {@link #synchronize()}, every copy to or from the host (each waits for the
     * queued work) and every device-timer read. A captured step's replay must add none (tests assert it with this
     * count); the emulation counts the same calls the driver makes, though its launches are synchronous anyway.
     */
    long hostSyncs();

    /** Starts recording the launches and device-to-device copies queued from now on (the calling thread only). */
    void beginCapture();

    /**
     * Ends the recording and returns the work as a replayable graph. Always leaves capture mode; throws
     * {@link CudaException} when something that cannot be captured was attempted since {@link #beginCapture()}.
     */
    Graph endCapture();

    /** Whether a capture is in progress. */
    boolean capturing();

    /** A clock around queued work: CUDA events on a GPU, the host clock around the synchronous emulation. */
    DeviceTimer timer();

    @Override
    void close();

    /** Captured work: each {@link #replay()} queues all of it again, in order, with the arguments it was captured with. */
    interface Graph extends GraphCapture.Graph {
        void replay();

        /** How many launches and copies the graph holds. */
        int nodes();

        @Override
        void close();
    }
}
