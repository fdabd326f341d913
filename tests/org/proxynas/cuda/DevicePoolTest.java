package org.proxynas.cuda;

import org.junit.jupiter.api.Test;
import org.proxynas.tensor.DeviceTimer;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The device pool's out-of-memory path, on a launcher whose "device" has a fixed number of bytes. */
class DevicePoolTest {
    /** Memory only: malloc fails with CUDA_ERROR_OUT_OF_MEMORY past the budget, as cuMemAlloc does. */
    private static final class BudgetLauncher implements Launcher {
        final long budget;
        final Map<Long, Long> live = new HashMap<>();
        long used, next = 0x1000;
        int frees;

        BudgetLauncher(long budget) { this.budget = budget; }

        @Override public long malloc(long bytes) {
            if (used + bytes > budget) throw new CudaException("cuMemAlloc_v2(" + bytes + " bytes)", DevicePool.OUT_OF_MEMORY, "out of memory");
            used += bytes;
            live.put(next, bytes);
            next += bytes;
            return next - bytes;
        }

        @Override public void free(long ptr) {
            Long bytes = live.remove(ptr);
            assertNotNull(bytes, "free of a live block");
            used -= bytes;
            frees++;
        }

        @Override public String describe() { return "budget"; }
        @Override public KernelAbi abi() { throw new UnsupportedOperationException(); }
        @Override public void upload(float[] src, long dst, int count) { throw new UnsupportedOperationException(); }
        @Override public void download(long src, float[] dst, int count) { throw new UnsupportedOperationException(); }
        @Override public void copy(long src, long dst, long bytes) { throw new UnsupportedOperationException(); }
        @Override public void zero(long ptr, long bytes) { throw new UnsupportedOperationException(); }
        @Override public int maxGridX() { return 1; }
        @Override public int maxSharedOptIn() { return DEFAULT_SHARED_BYTES; }
        @Override public void optInShared(String kernel, int bytes) { throw new UnsupportedOperationException(); }
        @Override public void launch(String kernel, int gridX, int blockX, int sharedBytes, Object... args) {
            throw new UnsupportedOperationException();
        }
        @Override public void synchronize() {}
        @Override public long hostSyncs() { return 0; }
        @Override public void beginCapture() { throw new UnsupportedOperationException(); }
        @Override public Graph endCapture() { throw new UnsupportedOperationException(); }
        @Override public boolean capturing() { return false; }
        @Override public DeviceTimer timer() { throw new UnsupportedOperationException(); }
        @Override public void close() {}
    }

    @Test
    void outOfMemoryReleasesCachedBlocksAndRetriesOnce() {
        BudgetLauncher device = new BudgetLauncher(3 * 512);
        DevicePool pool = new DevicePool(device);
        long a = pool.take(512), b = pool.take(512);
        pool.take(512);
        pool.give(a, 512);
        pool.give(b, 512);
        assertEquals(1536, device.used, "the device is full; two of its blocks are cached free in the pool");
        long c = pool.take(1024);  // a class the free lists cannot serve
        assertEquals(2, device.frees, "both cached free blocks went back to the device before the retry");
        assertEquals(1536, device.used);
        assertTrue(device.live.containsKey(c));
        assertEquals(3, pool.mallocs() - 1, "three blocks of 512 and, on the retry, one of 1024");
        assertEquals(1536, pool.deviceBytes(), "the peak of bytes held");
    }

    @Test
    void aSecondOutOfMemoryReportsTheSizesAskedAndHeld() {
        BudgetLauncher device = new BudgetLauncher(2 * 512);
        DevicePool pool = new DevicePool(device);
        long a = pool.take(512);
        pool.take(512);
        pool.give(a, 512);
        CudaException e = assertThrows(CudaException.class, () -> pool.take(1024));
        assertTrue(e.getMessage().contains("device out of memory: asked 1024 bytes while the pool holds 512 bytes in 1 "
                + "blocks in use (peak 1024), after releasing 512 cached free bytes and retrying"), e.getMessage());
        assertEquals(1, device.frees);
    }
}
