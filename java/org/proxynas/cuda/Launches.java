package org.proxynas.cuda;

import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.Tensor;

/**
 * What the CUDA kernel families share: device pointers of tensors, launches at a kernel's declared block size (its
 * launch bounds, from the kernel ABI table), the one grid-sizing rule, small uploads and the doubles of split
 * reductions. Grid-stride kernels are correct for any grid, so the grid only caps the launch; a reduction's block
 * partials are added in block order, so the grid must be the same for the same shape on every call (it is: the rule
 * depends on the shape and the launcher only).
 */
final class Launches {
    private final CudaBackend backend;
    private final Launcher launcher;

    Launches(CudaBackend backend) {
        this.backend = backend;
        this.launcher = backend.launcher();
    }

    CudaBackend backend() { return backend; }

    Launcher launcher() { return launcher; }

    Launcher.Ptr ptr(Tensor t) { return new Launcher.Ptr(backend.address(t)); }

    /** A device pointer, or the null pointer for a null (optional) tensor. */
    Launcher.Ptr optPtr(Tensor t) { return t == null ? new Launcher.Ptr(0) : ptr(t); }

    static int flag(boolean b) { return b ? 1 : 0; }

    /**
     * The grid for items of work, itemsPerBlock to a block (a kernel's thread count for one thread per item, 1 for
     * one block per item): at least one block, at most the launcher's grid.
     */
    int grid(long items, long itemsPerBlock) {
        return (int) Math.max(1, Math.min(launcher.maxGridX(), Math.ceilDiv(items, itemsPerBlock)));
    }

    /** Threads per block of kernel (its launch bounds). */
    int threads(String kernel) { return launcher.abi().threads(kernel); }

    /** Launches kernel on gridX blocks of its declared block size. */
    void launch(String kernel, int gridX, int sharedBytes, Object... args) {
        launcher.launch(kernel, gridX, threads(kernel), sharedBytes, args);
    }

    /** One thread per item over items (grid-stride); the argument list holds the count where the kernel needs it. */
    void perThread(String kernel, long items, Object... args) {
        launch(kernel, grid(items, threads(kernel)), 0, args);
    }

    /** One block per item over items (grid-stride over blocks): the reductions, a block's threads sharing one sum. */
    void perBlock(String kernel, long items, Object... args) {
        launch(kernel, grid(items, 1), 0, args);
    }

    /** A fresh device copy of a small host array (per-call scalars such as per-sample scales). */
    Tensor upload(float[] values) {
        Tensor t = backend.allocate(values.length);
        backend.copyFromHost(values, t);
        return t;
    }

    /** A device array of count doubles (two floats each) for per-block partials. */
    Tensor partialBuffer(int count) { return backend.allocate(2 * count); }

    /** Scratch for count doubles of split-reduction partials, kept per role (see {@link DeviceScratch}). */
    Launcher.Ptr scratchDoubles(String role, long count) {
        return new Launcher.Ptr(backend.scratch().take(role, 8 * count));
    }

    /**
     * Scratch kept per role (see {@link DeviceScratch}) as a tensor of this backend, for a chain of kernels that
     * passes an intermediate through global memory. Dirty (every use overwrites it) and never freed: the block lives
     * as long as the backend, so a captured graph may hold its address.
     */
    Tensor scratchTensor(String role, int... shape) {
        long floats = Tensor.elementCount(shape);
        return Tensor.wrap(backend, new CudaBuffer(backend, backend.scratch().take(role, 4 * floats), floats), shape);
    }

    /** The doubles of a partial buffer, read back (a synchronisation point). */
    static double[] partials(Tensor buffer) { return partials(buffer.toHost()); }

    /** Doubles stored as float pairs (low word first). */
    static double[] partials(float[] raw) { return DoublePairs.decode(raw); }

    /** The partials added in block order (as the CPU adds its block partials). */
    static double sumInOrder(double[] partial) {
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }
}
