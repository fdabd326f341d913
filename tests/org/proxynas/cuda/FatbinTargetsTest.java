package org.proxynas.cuda;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** What the fatbin needs of a driver and GPU, checked before its module loads (no GPU needed). */
class FatbinTargetsTest {
    private static final FatbinTargets T = FatbinTargets.parse("cuda.version=13.0\nsass=80,86,89,90\nptx=90\n", "t");

    @Test
    void anOlderDriverIsRefusedWithWhatToInstall() {
        assertEquals(13000, T.cudaVersion());
        assertTrue(T.driverProblem(13000).isEmpty());
        assertTrue(T.driverProblem(13020).isEmpty());
        String why = T.driverProblem(12080).orElseThrow();
        assertTrue(why.contains("the driver supports CUDA 12.8, but the kernels were built with CUDA 13.0: install an "
                + "NVIDIA driver for CUDA 13.0 or newer"), why);
    }

    @Test
    void aGpuOutsideTheTargetsIsRefused() {
        assertEquals(List.of(80, 86, 89, 90), T.sass());
        assertTrue(T.deviceProblem(8, 6).isEmpty(), "machine code");
        assertTrue(T.deviceProblem(10, 0).isEmpty(), "newer than the PTX: JIT");
        String why = T.deviceProblem(7, 5).orElseThrow();
        assertTrue(why.contains("compute capability 7.5 is not in the kernels' targets"), why);
        assertTrue(FatbinTargets.parse("cuda.version=13.0\nsass=80\n", "t").deviceProblem(9, 0).isPresent(), "no PTX");
    }

    @Test
    void aMalformedRecordNamesTheField() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FatbinTargets.parse("sass=80\n", "f.properties"));
        assertEquals("f.properties: missing cuda.version", e.getMessage());
    }
}
