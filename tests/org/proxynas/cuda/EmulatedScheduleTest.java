package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.tensor.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emulation's schedule (cuda/emu/cuda_emu.h): every block of a grid runs, blocks and the threads of a block
 * between barriers run in an order drawn from the seed (the same seed gives the same order, another seed another
 * order), and static shared memory is garbage again at the start of each block, so a kernel that depends on
 * ascending order or on what a previous block left in shared memory fails under emulation as it can on a GPU.
 */
class EmulatedScheduleTest {
    private static final int GRID = 8, BLOCK = 64;
    private CudaBackend cuda;
    private EmulatedLauncher launcher;

    @BeforeEach
    void open() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
        launcher = (EmulatedLauncher) cuda.launcher();
    }

    @AfterEach
    void close() {
        if (cuda != null) cuda.close();
    }

    private record Run(int[] order, int[] stale) {}

    /** selftest_schedule_i32 on GRID x BLOCK threads under seed; ints travel as float bit patterns. */
    private Run run(long seed) {
        launcher.setScheduleSeed(seed);
        Tensor order = cuda.allocate(GRID * BLOCK), counter = cuda.allocate(1), stale = cuda.allocate(GRID);
        cuda.kernels().fill(counter, 0f);  // 0.0f is the int 0
        launcher.launch("selftest_schedule_i32", GRID, BLOCK, 0, new Launcher.Ptr(cuda.address(order)),
                new Launcher.Ptr(cuda.address(counter)), new Launcher.Ptr(cuda.address(stale)));
        return new Run(bits(order.toHost()), bits(stale.toHost()));
    }

    private static int[] bits(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        return out;
    }

    @Test
    void everyThreadRunsOnceInASeededOrder() {
        Run a = run(1), again = run(1), other = run(2);
        int[] sorted = a.order().clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i], "every thread of every block ran once");
        assertArrayEquals(a.order(), again.order(), "the same seed gives the same schedule");
        assertFalse(Arrays.equals(a.order(), other.order()), "another seed gives another schedule");

        int[] blocks = new int[GRID];
        for (int b = 0; b < GRID; b++) blocks[b] = a.order()[b * BLOCK] / BLOCK;  // blocks run one after another
        int[] ascending = new int[GRID];
        Arrays.setAll(ascending, i -> i);
        assertFalse(Arrays.equals(ascending, blocks), "blocks are not run in index order: " + Arrays.toString(blocks));
        int[] firstBlock = Arrays.copyOf(a.order(), BLOCK);
        int[] sortedBlock = firstBlock.clone();
        Arrays.sort(sortedBlock);
        assertFalse(Arrays.equals(sortedBlock, firstBlock), "threads between barriers are not run in index order");
    }

    @Test
    void staticSharedMemoryIsGarbageAtTheStartOfEveryBlock() {
        int[] stale = run(3).stale();
        for (int b = 0; b < GRID; b++) assertEquals(0xA5A5A5A5, stale[b], "block " + b + " saw what a previous block left");
    }
}
