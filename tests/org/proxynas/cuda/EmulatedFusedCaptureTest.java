package org.proxynas.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.DoublePairs;
import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused kernels inside a CUDA graph capture, under the emulation: after one eager call with the same buffers
 * they take no device memory and upload nothing (scratch kept per role and size, term tables cached by content),
 * so they capture, and replays equal eager calls bit for bit; a table the eager calls never made is refused with
 * the capture error; stored weights change between replays without a re-capture; the table cache stays within its
 * bound without evicting what a live graph reads; and the backend reports the device pool's high-water mark.
 */
class EmulatedFusedCaptureTest {
    private static final ConvGeom GEOM = new ConvGeom(3, 1, 2, 2);  // a dil-conv 3x3: padding 2, dilation 2
    private CudaBackend cuda;

    @BeforeEach
    void setUp() {
        assumeTrue(EmulatedLauncher.available(), "CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary() + ")");
        cuda = CudaBackend.emulated();
    }

    @AfterEach
    void tearDown() { if (cuda != null) cuda.close(); }

    /** The tensors of one fused ReLU-dw-pw-BN forward and backward (as ReluDwPwBn and a node sum use them). */
    private final class Block {
        final Tensor x, dw, pw, y, runMean, runVar, mean, invStd, out, dout, dy, dx, ddw, dpw;

        Block() {
            x = values(2, 4, 6, 6);
            dw = values(4, 1, 3, 3);
            pw = values(4, 4, 1, 1);
            dout = values(2, 4, 6, 6);
            y = cuda.allocate(2, 4, 6, 6);
            out = cuda.allocate(2, 4, 6, 6);
            dy = cuda.allocate(2, 4, 6, 6);
            dx = cuda.allocate(2, 4, 6, 6);
            ddw = cuda.allocate(4, 1, 3, 3);
            dpw = cuda.allocate(4, 4, 1, 1);
            runMean = cuda.allocate(4);
            runVar = cuda.fromHost(new float[]{1, 1, 1, 1}, 4);
            mean = cuda.allocate(4);
            invStd = cuda.allocate(4);
        }

        private Tensor values(int... shape) {
            float[] v = new float[(int) Tensor.elementCount(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(0.37 * i + shape.length) * 0.8f;
            return cuda.fromHost(v, shape);
        }

        /** Forward, node sum with weight w, and both backwards; the parameter gradients accumulate across calls. */
        void step(float w) { step(TermWeights.of(w)); }

        /** As step(w), with the node sum's weight w (stored weights: read when the kernels run). */
        void step(TermWeights w) {
            Kernels k = cuda.kernels();
            k.reluDwPwForward(x, dw, pw, GEOM, y, runMean, runVar, 0.1f, 1e-5f, mean, invStd);
            k.bnWeightedSum(new Tensor[]{y}, new Tensor[]{mean}, new Tensor[]{invStd}, w, out, false);
            k.bnWeightedSumBackward(dout, new Tensor[]{y}, new Tensor[]{mean}, new Tensor[]{invStd}, w, new Tensor[]{dy}, false);
            k.reluDwPwBackward(dy, x, dw, pw, GEOM, dx, ddw, dpw, true);
        }

        Tensor[] results() { return new Tensor[]{y, runMean, runVar, mean, invStd, out, dy, dx, ddw, dpw}; }
    }

    @Test
    void fusedKernelsCaptureAfterOneEagerCallAndReplayBitIdentically() {
        Block eager = new Block(), graphed = new Block();
        eager.step(0.7f);
        graphed.step(0.7f);
        long mallocs = cuda.pool().mallocs(), uploads = cuda.tables().uploads();
        long peak = cuda.peakDeviceBytes().orElseThrow();
        eager.step(0.7f);
        assertEquals(mallocs, cuda.pool().mallocs(), "a steady-state call takes no device memory");
        assertEquals(uploads, cuda.tables().uploads(), "a steady-state call uploads no table");

        Launcher.Graph g = cuda.capture(() -> graphed.step(0.7f));
        assertTrue(g.nodes() >= 8, "the fused launches were recorded: " + g.nodes());
        for (int i = 0; i < 3; i++) g.replay();
        eager.step(0.7f);
        eager.step(0.7f);
        Tensor[] e = eager.results(), r = graphed.results();
        for (int i = 0; i < e.length; i++) assertArrayEquals(e[i].toHost(), r[i].toHost(), "result " + i);
        assertEquals(mallocs, cuda.pool().mallocs());
        assertEquals(uploads, cuda.tables().uploads());
        assertEquals(peak, cuda.peakDeviceBytes().orElseThrow(), "replays and steady-state calls add no device memory");
        g.close();
    }

    @Test
    void aTableNoEagerCallMadeIsRefusedDuringCaptureAndUploadedOutside() {
        Block b = new Block();
        b.step(0.5f);
        CudaException e = assertThrows(CudaException.class, () -> cuda.capture(() -> b.step(0.25f)));
        assertTrue(e.refusedByCapture(), e.getMessage());
        assertTrue(e.getMessage().contains("kernel table no eager call made before the capture during CUDA graph capture"),
                e.getMessage());
        long uploads = cuda.tables().uploads();
        b.step(0.25f);  // a new weight outside a capture: a cache miss, uploaded (the node sum's forward and backward)
        assertEquals(uploads + 2, cuda.tables().uploads());
    }

    /**
     * Stored weights (the supernet's mixture weights): a graph captured once reads each replay's weight from device
     * memory and adds each replay's weight gradient to the device accumulator, with no upload or read back, exactly
     * as eager calls with the same weights do.
     */
    @Test
    void storedWeightsChangeBetweenReplaysWithoutARecapture() {
        Block eager = new Block(), graphed = new Block();
        Tensor eagerW = cuda.fromHost(new float[]{0f, 0.7f}, 2), graphW = cuda.fromHost(new float[]{0f, 0.7f}, 2);
        Tensor eagerG = cuda.allocate(4), graphG = cuda.allocate(4);
        TermWeights e = TermWeights.stored(eagerW, new int[]{1}, eagerG), g = TermWeights.stored(graphW, new int[]{1}, graphG);
        eager.step(e);
        graphed.step(g);
        long uploads = cuda.tables().uploads();
        try (Launcher.Graph graph = cuda.capture(() -> graphed.step(g))) {
            for (float w : new float[]{0.7f, -0.4f, 1.3f}) {
                eagerW.fromHost(new float[]{0f, w});
                graphW.fromHost(new float[]{0f, w});
                eager.step(e);
                long syncs = cuda.hostSyncs();
                graph.replay();
                assertEquals(syncs, cuda.hostSyncs(), "a replay with stored weights makes the host wait nowhere");
            }
        }
        assertEquals(uploads, cuda.tables().uploads(), "new stored weights need no new table");
        Tensor[] er = eager.results(), gr = graphed.results();
        for (int i = 0; i < er.length; i++) assertArrayEquals(er[i].toHost(), gr[i].toHost(), "result " + i);
        double[] eg = DoublePairs.decode(eagerG.toHost()), gg = DoublePairs.decode(graphG.toHost());
        assertEquals(0.0, eg[0], "slot 0 is no term's: untouched");
        assertNotEquals(0.0, eg[1], "four backwards added their weight gradients");
        assertArrayEquals(eg, gg, "the weight gradients, bit for bit");
    }

    private float[] readTable(long address, int n) {
        float[] out = new float[n];
        cuda.launcher().download(address, out, n);
        return out;
    }

    @Test
    void tableCacheStaysWithinItsBoundAndKeepsWhatALiveGraphReads() {
        DeviceTables tables = new DeviceTables(cuda.pool(), cuda.launcher(), 2);
        float[][] t = new float[6][];
        for (int i = 0; i < 5; i++) t[i] = new float[]{i, 0.5f * i, -i, Float.NaN};
        t[5] = t[0].clone();
        t[5][3] = Float.intBitsToFloat(0x7fc00001);  // another NaN: equal as a float, a different bit pattern
        long a = tables.address(t[0]);
        assertEquals(a, tables.address(t[0].clone()), "same contents, same entry");
        assertArrayEquals(t[0], readTable(a, 4));
        assertNotEquals(a, tables.address(t[5]), "tables are compared bit for bit");

        cuda.launcher().beginCapture();
        assertEquals(a, tables.address(t[0]));
        Launcher.Graph g = tables.pinTo(cuda.launcher().endCapture());
        for (int i = 1; i <= 4; i++) tables.address(t[i]);
        assertEquals(3, tables.size(), "two unpinned entries and the pinned one");
        long uploads = tables.uploads();
        assertEquals(a, tables.address(t[0]), "a live graph's table is not evicted");
        assertArrayEquals(t[0], readTable(a, 4));
        assertEquals(uploads, tables.uploads());
        tables.address(t[1]);
        assertEquals(uploads + 1, tables.uploads(), "the least recently used unpinned table was evicted");

        g.close();
        tables.address(t[2]);
        tables.address(t[3]);
        assertEquals(2, tables.size(), "once the graph is closed its table may go");
        long again = tables.address(t[0]);
        assertArrayEquals(t[0], readTable(again, 4));
        assertEquals(uploads + 4, tables.uploads());
    }

    @Test
    void peakDeviceBytesIsThePoolsHighWaterMark() {
        DevicePool pool = cuda.pool();
        long start = cuda.peakDeviceBytes().orElseThrow();
        long block = pool.take(4096);
        assertEquals(start + 4096, cuda.peakDeviceBytes().orElseThrow());
        pool.give(block, 4096);
        assertEquals(block, pool.take(4096), "a freed block is reused");
        assertEquals(start + 4096, cuda.peakDeviceBytes().orElseThrow(), "reuse takes nothing from the device");
        cuda.allocate(3000);  // 12000 bytes, exactly (the emulation checks bounds: no size class)
        assertEquals(start + 4096 + 12000, cuda.peakDeviceBytes().orElseThrow());
    }
}
